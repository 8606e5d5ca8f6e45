namespace Lucid.Events;

/// <summary>
/// Tells a process that events were committed to logs of a store that other processes share, so that it can follow a
/// log it does not append to (a session another node runs). A notice is only a wake-up: the log stays the source of
/// truth, and whoever follows reads the events from it (<see cref="EventHub.CatchUpAsync"/>), so a notice missed or
/// repeated costs latency, never an event.
/// </summary>
public interface ILogCommitFeed
{
    /// <summary>
    /// Notices until cancelled: one per committed append (<see cref="LogCommittedNotice"/>), and a
    /// <see cref="CatchUpNotice"/> whenever some may have been missed (the feed reconnected) and, as a safety net, at a
    /// slow regular interval. A broken connection is re-opened by the feed; the sequence ends only when cancelled.
    /// </summary>
    IAsyncEnumerable<LogNotice> ListenAsync(CancellationToken cancellationToken);
}
