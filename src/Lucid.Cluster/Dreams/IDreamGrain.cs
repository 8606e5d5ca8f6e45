namespace Lucid.Cluster.Dreams;

/// <summary>
/// A dream's runner in the cluster: the node this grain is active on runs the dream. Its key is the dream's ID. Orleans
/// keeps at most one activation of it in the cluster, so one node at a time runs or settles the dream.
/// </summary>
public interface IDreamGrain : IGrainWithStringKey
{
    /// <summary>Starts the pending dream here.</summary>
    Task StartAsync();

    /// <summary>Stops the dream if it runs here (a cancel request already set its status).</summary>
    Task CancelAsync();

    /// <summary>Starts the dream if it is pending, or fails it if it is running but no node runs it any more; whether it was touched.</summary>
    Task<bool> SettleAsync();
}
