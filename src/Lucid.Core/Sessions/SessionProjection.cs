using Lucid.Events;

namespace Lucid.Sessions;

/// <summary>
/// How an event changes a session's stored state. Stores apply it in the same transaction as the append, so a
/// session's status and usage are always what its log says.
/// </summary>
public static class SessionProjection
{
    /// <summary>Returns the session after <paramref name="logged"/>.</summary>
    public static Session Apply(Session session, LoggedEvent logged)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(logged);
        var next = session with { LastSequence = logged.Sequence, UpdatedAt = Max(session.UpdatedAt, logged.Event.ProcessedAt) };
        return logged.Event switch
        {
            SessionStatusRunningEvent => next with { Status = SessionStatus.Running },
            SessionStatusIdleEvent => next with { Status = SessionStatus.Idle },
            SessionStatusRescheduledEvent => next with { Status = SessionStatus.Rescheduling },
            SessionStatusTerminatedEvent => next with { Status = SessionStatus.Terminated },
            SpanModelRequestEndEvent end => next with { Usage = session.Usage.Add(end.ModelUsage) },
            _ => next,
        };
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}
