using Lucid.Events;
using Lucid.Sessions;

namespace Lucid.Threads;

/// <summary>
/// How an event of a thread's log changes the stored thread. Stores apply it in the same transaction as the append,
/// and add the thread's model usage to its session's, so a session's usage counts every thread.
/// </summary>
public static class ThreadProjection
{
    /// <summary>Returns the thread after <paramref name="logged"/>.</summary>
    public static SessionThread Apply(SessionThread thread, LoggedEvent logged)
    {
        ArgumentNullException.ThrowIfNull(thread);
        ArgumentNullException.ThrowIfNull(logged);
        var next = thread with { LastSequence = logged.Sequence, UpdatedAt = thread.UpdatedAt >= logged.Event.ProcessedAt ? thread.UpdatedAt : logged.Event.ProcessedAt };
        return logged.Event switch
        {
            SessionThreadStatusRunningEvent s when s.SessionThreadId == thread.Id => next with { Status = SessionStatus.Running },
            SessionThreadStatusIdleEvent s when s.SessionThreadId == thread.Id => next with { Status = SessionStatus.Idle },
            SessionThreadStatusRescheduledEvent s when s.SessionThreadId == thread.Id => next with { Status = SessionStatus.Rescheduling },
            SessionThreadStatusTerminatedEvent s when s.SessionThreadId == thread.Id => next with { Status = SessionStatus.Terminated },
            SpanModelRequestEndEvent end => next with { Usage = thread.Usage.Add(end.ModelUsage) },
            _ => next,
        };
    }

    /// <summary>The usage an event of a thread's log adds to its session.</summary>
    public static SessionUsage UsageOf(LoggedEvent logged) =>
        logged?.Event is SpanModelRequestEndEvent end ? end.ModelUsage : SessionUsage.Zero;
}
