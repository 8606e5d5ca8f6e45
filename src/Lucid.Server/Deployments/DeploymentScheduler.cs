using Lucid.Deployments;
using Microsoft.Extensions.Logging;

namespace Lucid.Server.Deployments;

/// <summary>
/// Runs deployments' cron ticks on the server's <see cref="TimeProvider"/>. It sleeps until the next tick of any
/// deployment (at most <see cref="ScheduleLoop.MaxSleep"/>, so ticks claimed by another node are noticed) and wakes
/// early when a deployment changes. On start it runs each deployment's latest tick missed while the server was down, once.
/// </summary>
internal sealed partial class DeploymentScheduler(DeploymentRuns runs, TimeProvider time, ILogger<DeploymentScheduler> logger) : ScheduleLoop(time)
{
    protected override async Task StartingAsync(CancellationToken stoppingToken)
    {
        if (await runs.CloseUnfinishedAsync(stoppingToken) is > 0 and var closed)
        {
            Closed(logger, closed);
        }
    }

    protected override Task<DateTimeOffset?> RunDueAsync(CancellationToken stoppingToken) => runs.RunDueAsync(stoppingToken);

    protected override void Failed(Exception exception) => Failed(logger, exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closed {Count} deployment run(s) left unfinished when the server last stopped")]
    private static partial void Closed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Running deployment schedules failed; trying again at the next tick")]
    private static partial void Failed(ILogger logger, Exception exception);
}
