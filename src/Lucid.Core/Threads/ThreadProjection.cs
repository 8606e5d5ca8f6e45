using Lucid.Events;
using Lucid.Sessions;

namespace Lucid.Threads;

/// <summary>
/// How an event of a thread's log changes the stored thread. Stores apply it in the same transaction as the append,
/// and add the thread's model usage and running time to its session's (<see cref="SessionProjection.ApplyThreadEvent"/>), so a session's usage counts every thread.
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
            SessionThreadStatusRunningEvent s when s.SessionThreadId == thread.Id => next with { Status = SessionStatus.Running, Activity = thread.Activity.Start(s.ProcessedAt) },
            SessionThreadStatusIdleEvent s when s.SessionThreadId == thread.Id => next with { Status = SessionStatus.Idle, Activity = thread.Activity.Stop(s.ProcessedAt) },
            SessionThreadStatusRescheduledEvent s when s.SessionThreadId == thread.Id => next with { Status = SessionStatus.Rescheduling, Activity = thread.Activity.Stop(s.ProcessedAt) },
            SessionThreadStatusTerminatedEvent s when s.SessionThreadId == thread.Id => next with { Status = SessionStatus.Terminated, Activity = thread.Activity.Stop(s.ProcessedAt) },
            SpanModelRequestEndEvent end => next with { Usage = thread.Usage.Add(end.ModelUsage) },
            _ => next,
        };
    }
}
