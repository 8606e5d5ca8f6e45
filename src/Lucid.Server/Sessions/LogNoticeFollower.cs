using Lucid.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lucid.Server.Sessions;

/// <summary>
/// On a store that several servers share, hands this server's streams the events other servers commit: each notice of
/// the store's <see cref="ILogCommitFeed"/> becomes a catch-up of the event hub, which reads the events from the log.
/// A log nobody follows here costs nothing.
/// </summary>
internal sealed partial class LogNoticeFollower(ILogCommitFeed feed, EventHub hub, ILogger<LogNoticeFollower> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var notice in feed.ListenAsync(stoppingToken))
        {
            try
            {
                await (notice is LogCommittedNotice committed
                    ? hub.CatchUpAsync(committed.Log, committed.LastSequence, stoppingToken)
                    : hub.CatchUpAllAsync(stoppingToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next notice, or the feed's regular catch-up, reads the log again.
                Failed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Events committed by another server could not be read for this server's streams; trying again at the next notice.")]
    private static partial void Failed(ILogger logger, Exception exception);
}
