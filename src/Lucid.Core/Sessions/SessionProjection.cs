using Lucid.Events;
using Lucid.Outcomes;

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
            SessionStatusRunningEvent => StartPending(next with { Status = SessionStatus.Running }),
            SessionStatusIdleEvent => next with { Status = SessionStatus.Idle },
            SessionStatusRescheduledEvent => next with { Status = SessionStatus.Rescheduling },
            SessionStatusTerminatedEvent => next with { Status = SessionStatus.Terminated },
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

    /// <summary>Returns the session after one of its threads used <paramref name="usage"/> tokens.</summary>
    public static Session AddThreadUsage(Session session, SessionUsage usage)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(usage);
        return usage == SessionUsage.Zero ? session : session with { Usage = session.Usage.Add(usage) };
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
