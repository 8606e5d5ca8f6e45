using Lucid.Agents;
using Lucid.Ids;
using Lucid.Sessions;

namespace Lucid.Threads;

/// <summary>
/// A child thread of a session: one agent with its own context window, tools and event log, working on what the
/// thread that spawned it asked. The session's own log is its primary thread, which is not stored as a thread.
/// </summary>
public sealed record SessionThread
{
    /// <summary>
    /// <paramref name="e"/> as this thread's log records it: the session status events a runner writes are the
    /// thread's own status events there; any other event is itself.
    /// </summary>
    internal Events.SessionEvent OwnStatus(Events.SessionEvent e) => e switch
    {
        Events.SessionStatusRunningEvent => new Events.SessionThreadStatusRunningEvent { SessionThreadId = Id, AgentName = Agent.Name },
        Events.SessionStatusIdleEvent idle => new Events.SessionThreadStatusIdleEvent { SessionThreadId = Id, AgentName = Agent.Name, StopReason = idle.StopReason },
        Events.SessionStatusRescheduledEvent => new Events.SessionThreadStatusRescheduledEvent { SessionThreadId = Id, AgentName = Agent.Name },
        Events.SessionStatusTerminatedEvent => new Events.SessionThreadStatusTerminatedEvent { SessionThreadId = Id, AgentName = Agent.Name },
        _ => e,
    };

    /// <summary>The thread's ID (<c>sthr_…</c>); its event log is keyed by it.</summary>
    public required string Id { get; init; }

    /// <summary>The session it belongs to.</summary>
    public required string SessionId { get; init; }

    /// <summary>The thread that spawned it (the primary thread's ID for a thread the session's agent spawned).</summary>
    public required string ParentThreadId { get; init; }

    /// <summary>How deep it is nested: 1 for a thread the primary agent spawned, 2 for one spawned by that thread, and so on.</summary>
    public required int Depth { get; init; }

    /// <summary>
    /// The agent the thread runs, as it was when the thread was created. For an inline agent the ID is empty and the
    /// version 0.
    /// </summary>
    public required Agent Agent { get; init; }

    /// <summary>Whether the agent was defined inline by the spawning agent (and is not saved).</summary>
    public bool IsInline { get; init; }

    /// <summary>The lifecycle state, derived from the thread's status events.</summary>
    public SessionStatus Status { get; init; } = SessionStatus.Idle;

    /// <summary>Token usage summed over the thread's model requests.</summary>
    public SessionUsage Usage { get; init; } = SessionUsage.Zero;

    /// <summary>The time the thread has spent running.</summary>
    public ActiveTime Activity { get; init; } = ActiveTime.None;

    /// <summary>The sequence number of the last event in the thread's log.</summary>
    public long LastSequence { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it was archived, or null.</summary>
    public DateTimeOffset? ArchivedAt { get; init; }

    /// <summary>Whether the thread can still take messages: neither terminated nor archived.</summary>
    public bool IsLive => Status != SessionStatus.Terminated && ArchivedAt is null;

    /// <summary>The ID of a session's primary thread, whose log is the session's own log.</summary>
    public static string PrimaryId(string sessionId)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        return IdPrefixes.Has(sessionId, IdPrefixes.Session) ? $"{IdPrefixes.Thread}_{sessionId[(IdPrefixes.Session.Length + 1)..]}" : throw new ArgumentException($"'{sessionId}' is not a session ID.", nameof(sessionId));
    }

    /// <summary>Whether an event log key names a thread rather than a session.</summary>
    public static bool IsThreadId(string id) => IdPrefixes.Has(id, IdPrefixes.Thread);
}
