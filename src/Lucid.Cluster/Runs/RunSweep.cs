using Lucid.Server;
using Lucid.Server.Cluster;
using Microsoft.Extensions.Logging;

namespace Lucid.Cluster.Runs;

/// <summary>
/// Settles one kind of background run every <see cref="ScheduleLoop.MaxSleep"/> on each node
/// (<see cref="IRunOwners.RecoverAsync"/>): a run whose node died or stopped while it ran is failed as interrupted, and
/// one left pending is settled, by one node.
/// </summary>
internal sealed partial class RunSweep<TOwners>(TOwners owners, TimeProvider time, ILogger<RunSweep<TOwners>> logger) : ScheduleLoop(time)
    where TOwners : IRunOwners
{
    protected override async Task<DateTimeOffset?> RunDueAsync(CancellationToken stoppingToken)
    {
        if (await owners.RecoverAsync(stoppingToken) is > 0 and var count)
        {
            Settled(logger, count);
        }

        return null;
    }

    protected override void Failed(Exception exception) => Failed(logger, exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Settled {Count} run(s) that no node was running")]
    private static partial void Settled(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Settling runs failed; trying again at the next sweep")]
    private static partial void Failed(ILogger logger, Exception exception);
}
