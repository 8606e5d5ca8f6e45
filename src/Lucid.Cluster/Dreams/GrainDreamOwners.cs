using Lucid.Cluster.Runs;
using Lucid.Dreams;
using Lucid.Server.Cluster;
using Microsoft.Extensions.Logging;

namespace Lucid.Cluster.Dreams;

/// <summary>Runs each dream through its <see cref="IDreamGrain"/>, on whichever node the grain is active on.</summary>
internal sealed class GrainDreamOwners(IGrainFactory grains, DreamRunner runner, ILogger<GrainDreamOwners> logger)
    : GrainRunOwners<IDreamGrain>(grains, runner, logger), IDreamOwners
{
    // A cancel that does not arrive is logged: the dream stops at its next stage, where it finds its status changed.
    public void Cancel(string dreamId) => Forget(Grain(dreamId).CancelAsync(), dreamId);
}
