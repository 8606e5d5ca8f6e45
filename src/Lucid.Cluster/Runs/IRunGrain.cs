namespace Lucid.Cluster.Runs;

/// <summary>
/// A background run's runner in the cluster (a dream, an eval run): the node this grain is active on runs it. Its key is
/// the run's ID. Orleans keeps at most one activation of it in the cluster, so one node at a time runs or settles it.
/// </summary>
public interface IRunGrain : IGrainWithStringKey
{
    /// <summary>Starts the pending run here.</summary>
    Task StartAsync();

    /// <summary>Settles the run if no node runs it any more (see <see cref="IBackgroundRunner.SettleAsync"/>); whether it was touched.</summary>
    Task<bool> SettleAsync();
}
