using Lucid.Events;

namespace Lucid.Sessions;

/// <summary>What the parts of a turn use of their runner: its conversation, and its log's one append path.</summary>
internal interface ITurnLog
{
    /// <summary>The log this runner owns: a session's ID, or a thread's (<c>sthr_…</c>).</summary>
    LogId LogId { get; }

    /// <summary>Reads the conversation under the runner's state lock.</summary>
    Task<T> ReadAsync<T>(Func<Conversation, T> read, CancellationToken cancellationToken);

    /// <summary>Commits events to the log and folds them into the conversation; returns them as committed.</summary>
    Task<IReadOnlyList<LoggedEvent>> AppendAsync(IReadOnlyList<SessionEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Holds events to be committed ahead of the next append's own, in the same transaction: for a record that must
    /// reach the log but need not be seen before what follows it (a model request's end, before the events of its
    /// response), so the two take one commit. The next append returns only its own events. If the runner stops before
    /// another append, the held events are lost as in a crash, and recovery closes what they would have closed.
    /// </summary>
    Task AppendWithNextAsync(SessionEvent e);

    /// <summary>Gives an event its ID and time now, when a later event must refer to it.</summary>
    T Stamp<T>(T e)
        where T : SessionEvent;
}
