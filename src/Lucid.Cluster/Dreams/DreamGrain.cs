using Lucid.Cluster.Runs;
using Lucid.Dreams;
using Orleans.Placement;

namespace Lucid.Cluster.Dreams;

/// <summary>
/// The runner of one dream (<see cref="IDreamGrain"/>). It is placed on the node that first calls it: the one that
/// created the dream, or, after that node stopped, the first node to settle it.
/// </summary>
[PreferLocalPlacement]
internal sealed class DreamGrain(DreamRunner runner) : RunGrain<DreamRunner>(runner), IDreamGrain
{
    public Task CancelAsync()
    {
        Runner.Cancel(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }
}
