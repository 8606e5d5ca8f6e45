using Lucid.Events;

namespace Lucid.Storage;

/// <summary>
/// The durable, ordered event log of every session and of every child thread. A log is keyed by a session ID (the
/// session's primary thread) or a thread ID (<c>sthr_…</c>); a thread's log updates the thread through
/// <see cref="Threads.ThreadProjection"/> and adds its model usage and running time to its session
/// (<see cref="Sessions.SessionProjection.ApplyThreadEvent"/>).
/// </summary>
public interface IEventLog
{
    /// <summary>
    /// Appends events to a log (a session's or a thread's) in one transaction: each gets the next sequence number, and the session row
    /// is updated by <see cref="Sessions.SessionProjection.Apply"/> in the same transaction, so the log and the session
    /// never disagree. Each event is first completed against the session as it stands before it
    /// (<see cref="Sessions.SessionProjection.Complete"/>: a <c>session.usage</c> snapshot gets the session's figures),
    /// and the returned events are the completed ones. Either every event is committed or none is.
    /// </summary>
    /// <param name="logId">The log: a session's ID or a child thread's (<see cref="LogId.Value"/>).</param>
    /// <param name="events">The events, stamped.</param>
    /// <param name="cancellationToken">Cancels the append before it is committed.</param>
    /// <exception cref="KeyNotFoundException">The session or thread does not exist.</exception>
    Task<IReadOnlyList<LoggedEvent>> AppendAsync(string logId, IReadOnlyList<SessionEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a new session and the first events of its log in one transaction, projected as
    /// <see cref="AppendAsync"/> projects them: the session exists with all of them or not at all.
    /// </summary>
    Task<IReadOnlyList<LoggedEvent>> CreateSessionAsync(Sessions.Session session, IReadOnlyList<SessionEvent> firstEvents, CancellationToken cancellationToken);

    /// <summary>Reads up to <paramref name="limit"/> events with a sequence number greater than <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<LoggedEvent>> ReadAsync(string logId, long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Lists a log's events that match <paramref name="query"/>, one page at a time. The cursor is opaque; a cursor
    /// this store did not produce is an <see cref="ArgumentException"/>.
    /// </summary>
    Task<Page<LoggedEvent>> ListEventsAsync(string logId, EventQuery query, PageRequest page, CancellationToken cancellationToken);
}
