using Lucid.Events;

namespace Lucid.Sessions;

/// <summary>What the parts of a turn use of their runner: its conversation, and its log's one append path.</summary>
internal interface ITurnLog
{
    /// <summary>The log this runner owns: a session's ID, or a thread's (<c>sthr_…</c>).</summary>
    string LogId { get; }

    /// <summary>Reads the conversation under the runner's state lock.</summary>
    Task<T> ReadAsync<T>(Func<Conversation, T> read, CancellationToken cancellationToken);

    /// <summary>Commits events to the log and folds them into the conversation; returns them as committed.</summary>
    Task<IReadOnlyList<LoggedEvent>> AppendAsync(IReadOnlyList<SessionEvent> events, CancellationToken cancellationToken);

    /// <summary>Gives an event its ID and time now, when a later event must refer to it.</summary>
    T Stamp<T>(T e)
        where T : SessionEvent;
}
