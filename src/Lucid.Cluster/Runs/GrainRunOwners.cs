using Lucid.Server.Cluster;
using Microsoft.Extensions.Logging;

namespace Lucid.Cluster.Runs;

/// <summary>Starts and settles each run of one kind through its grain, on whichever node the grain is active on.</summary>
internal abstract partial class GrainRunOwners<TGrain>(IGrainFactory grains, IBackgroundRunner runner, ILogger logger) : IRunOwners
    where TGrain : IRunGrain
{
    // A start that does not arrive is logged: a run left pending is settled by the next sweep (RunSweep).
    public void Start(string id) => Forget(Grain(id).StartAsync(), id);

    // Each run is settled by its grain: where it is active (a live node runs it), that node finds it running and leaves
    // it; where no node has it, the grain activates here and settles it, once.
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var id in await runner.UnsettledAsync(cancellationToken))
        {
            if (await Grain(id).SettleAsync().WaitAsync(cancellationToken))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The run's grain.</summary>
    protected TGrain Grain(string id) => grains.GetGrain<TGrain>(id);

    /// <summary>Makes a call to a run's owner without waiting for it; a call that fails is logged.</summary>
    protected void Forget(Task call, string id) =>
        call.ContinueWith(failed => Unreached(logger, failed.Exception, id), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Id} could not be handed to its owner; the next sweep settles it")]
    private static partial void Unreached(ILogger logger, Exception? exception, string id);
}
