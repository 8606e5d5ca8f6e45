using Lucid.Events;
using Lucid.Outcomes;
using Lucid.Threads;

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
            SessionStatusRunningEvent e => StartPending(next with { Status = SessionStatus.Running, Activity = session.Activity.Start(e.ProcessedAt) }),
            SessionStatusIdleEvent e => next with { Status = SessionStatus.Idle, Activity = session.Activity.Stop(e.ProcessedAt) },
            SessionStatusRescheduledEvent e => next with { Status = SessionStatus.Rescheduling, Activity = session.Activity.Stop(e.ProcessedAt) },
            SessionStatusTerminatedEvent e => next with { Status = SessionStatus.Terminated, Activity = session.Activity.Stop(e.ProcessedAt) },
            SessionUpdatedEvent u => next with { Title = u.Title.Or(session.Title), Metadata = u.Metadata.Or(session.Metadata), Budget = u.Budget.Or(session.Budget) },
            SpanModelRequestEndEvent end => next with { Usage = session.Usage.Add(end.ModelUsage) },
            UserDefineOutcomeEvent outcome => next with
            {
                OutcomeEvaluations = [.. session.OutcomeEvaluations, new OutcomeEvaluation { OutcomeId = outcome.OutcomeId, Description = outcome.Description }],
            },
            SpanOutcomeEvaluationStartEvent start => WithOutcome(next, start.OutcomeId, o => o with { Result = OutcomeResult.Evaluating, Iteration = start.Iteration }),
            SpanOutcomeEvaluationEndEvent end => WithOutcome(next with { Usage = session.Usage.Add(end.Usage) }, end.OutcomeId, o => end.Result.IsTerminal()
                ? o with { Result = end.Result, Iteration = end.Iteration, Explanation = end.Explanation, CompletedAt = end.ProcessedAt }
                : o with { Result = OutcomeResult.Running, Iteration = end.Iteration + 1, Explanation = end.Explanation }),
            _ => next,
        };
    }

    /// <summary>
    /// Returns the session after <paramref name="logged"/>, an event of one of its threads' logs, changed the thread from
    /// <paramref name="before"/> to <paramref name="after"/>: the thread's model usage and ended running time count for
    /// the session too.
    /// </summary>
    public static Session ApplyThreadEvent(Session session, LoggedEvent logged, SessionThread before, SessionThread after)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(logged);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var active = after.Activity.Seconds - before.Activity.Seconds;
        return logged.Event switch
        {
            SpanModelRequestEndEvent end => session with { Usage = session.Usage.Add(end.ModelUsage) },
            _ when active > 0 => session with { ThreadsActiveSeconds = session.ThreadsActiveSeconds + active },
            _ => session,
        };
    }

    /// <summary>
    /// The event as committed after <paramref name="session"/>'s earlier events: a <c>session.usage</c> snapshot gets
    /// the session's cumulative usage and budget; any other event is unchanged. Stores call it for each event they
    /// append, to a session's log or a thread's, in the same transaction.
    /// </summary>
    public static SessionEvent Complete(Session session, SessionEvent e)
    {
        ArgumentNullException.ThrowIfNull(session);
        return e is SessionUsageEvent usage ? usage with { Usage = UsageSnapshot.Of(session.Usage), Budget = session.Budget } : e;
    }

    // The agent starts working on pending outcomes when the session starts running.
    private static Session StartPending(Session session) =>
        session.OutcomeEvaluations.Any(o => o.Result == OutcomeResult.Pending)
            ? session with { OutcomeEvaluations = [.. session.OutcomeEvaluations.Select(o => o.Result == OutcomeResult.Pending ? o with { Result = OutcomeResult.Running } : o)] }
            : session;

    private static Session WithOutcome(Session session, string outcomeId, Func<OutcomeEvaluation, OutcomeEvaluation> change) =>
        session with { OutcomeEvaluations = [.. session.OutcomeEvaluations.Select(o => o.OutcomeId == outcomeId ? change(o) : o)] };

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}
