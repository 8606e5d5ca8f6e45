using Lucid.Ids;

namespace Lucid.Events;

/// <summary>
/// A log: a session's own (keyed by the session's ID, <c>sesn_…</c>; its primary thread's events) or a child thread's
/// (keyed by the thread's ID, <c>sthr_…</c>). Each log has its own sequence numbers, its runner and its subscribers.
/// </summary>
public readonly record struct LogId
{
    private LogId(string value) => Value = value;

    /// <summary>The session's or the thread's ID.</summary>
    public string Value { get; }

    /// <summary>Whether this is a child thread's log rather than a session's.</summary>
    public bool IsThread => IdPrefixes.Has(Value, IdPrefixes.Thread);

    /// <summary>The log keyed by a session's or a child thread's ID.</summary>
    /// <exception cref="ArgumentException">The ID is neither a session's nor a thread's.</exception>
    public static LogId Of(string id) =>
        IdPrefixes.Has(id, IdPrefixes.Session) || IdPrefixes.Has(id, IdPrefixes.Thread)
            ? new LogId(id)
            : throw new ArgumentException($"'{id}' is neither a session ID (sesn_…) nor a thread ID (sthr_…).", nameof(id));

    /// <summary>The ID, as stores and the wire know it.</summary>
    public static implicit operator string(LogId log) => log.Value;

    /// <inheritdoc />
    public override string ToString() => Value;
}
