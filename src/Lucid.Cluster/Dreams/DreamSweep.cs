using Lucid.Server;
using Lucid.Server.Cluster;
using Microsoft.Extensions.Logging;

namespace Lucid.Cluster.Dreams;

/// <summary>
/// Settles dreams every <see cref="ScheduleLoop.MaxSleep"/> on each node (<see cref="IDreamOwners.RecoverAsync"/>): a
/// dream whose node died or stopped while it ran is failed as interrupted, and one left pending is started, by one node.
/// </summary>
internal sealed partial class DreamSweep(IDreamOwners owners, TimeProvider time, ILogger<DreamSweep> logger) : ScheduleLoop(time)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Settled {Count} dream(s) that no node was running")]
    private static partial void Settled(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Settling dreams failed; trying again at the next sweep")]
    private static partial void Failed(ILogger logger, Exception exception);
}
