using Lucid.Dreams;
using Lucid.Server.Cluster;
using Microsoft.Extensions.Logging;

namespace Lucid.Cluster.Dreams;

/// <summary>Runs each dream through its <see cref="IDreamGrain"/>, on whichever node the grain is active on.</summary>
internal sealed partial class GrainDreamOwners(IGrainFactory grains, DreamRunner runner, ILogger<GrainDreamOwners> logger) : IDreamOwners
{
    // A start or cancel that does not arrive is logged: a dream left pending is started by the next sweep
    // (DreamSweep), and a canceled one stops at its next stage, where it finds its status changed.
    public void Start(string dreamId) => Forget(grains.GetGrain<IDreamGrain>(dreamId).StartAsync(), dreamId);

    public void Cancel(string dreamId) => Forget(grains.GetGrain<IDreamGrain>(dreamId).CancelAsync(), dreamId);

    // Each dream is settled by its grain: where it is active (a live node runs the dream), that node finds the dream
    // running and leaves it; where no node has it, the grain activates here and starts or fails it, once.
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var dreamId in await runner.UnsettledAsync(cancellationToken))
        {
            if (await grains.GetGrain<IDreamGrain>(dreamId).SettleAsync().WaitAsync(cancellationToken))
            {
                count++;
            }
        }

        return count;
    }

    private void Forget(Task call, string dreamId) =>
        call.ContinueWith(failed => Unreached(logger, failed.Exception, dreamId), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dream {DreamId} could not be handed to its owner; the next sweep settles it")]
    private static partial void Unreached(ILogger logger, Exception? exception, string dreamId);
}
