using Lucid.Learning;
using Microsoft.Extensions.Logging;

namespace Lucid.Server.Learning;

/// <summary>
/// Fires learning policies on the server's <see cref="TimeProvider"/>: at each cron tick of any policy, at least every
/// <see cref="ScheduleLoop.MaxSleep"/> (when counts of graded sessions are checked), and at once when a policy changes.
/// </summary>
internal sealed partial class LearningScheduler(LearningRuns runs, TimeProvider time, ILogger<LearningScheduler> logger) : ScheduleLoop(time)
{
    protected override Task<DateTimeOffset?> RunDueAsync(CancellationToken stoppingToken) => runs.RunDueAsync(stoppingToken);

    protected override void Failed(Exception exception) => Failed(logger, exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Running learning policies failed; trying again at the next look")]
    private static partial void Failed(ILogger logger, Exception exception);
}
