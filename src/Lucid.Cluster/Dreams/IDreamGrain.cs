using Lucid.Cluster.Runs;

namespace Lucid.Cluster.Dreams;

/// <summary>
/// A dream's runner in the cluster (<see cref="IRunGrain"/>): settling starts the dream if it is pending, or fails it if
/// it is running but no node runs it any more.
/// </summary>
public interface IDreamGrain : IRunGrain
{
    /// <summary>Stops the dream if it runs here (a cancel request already set its status).</summary>
    Task CancelAsync();
}
