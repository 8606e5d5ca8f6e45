namespace Lucid.Outcomes;

/// <summary>The state of one outcome of a session, derived from its events (the session's <c>outcome_evaluations</c>).</summary>
public sealed record OutcomeEvaluation
{
    /// <summary>The outcome's ID (<c>outc_…</c>).</summary>
    public required string OutcomeId { get; init; }

    /// <summary>What the agent should produce.</summary>
    public required string Description { get; init; }

    /// <summary>Where the outcome stands.</summary>
    public OutcomeResult Result { get; init; } = OutcomeResult.Pending;

    /// <summary>The 0-based revision cycle the outcome is on.</summary>
    public int Iteration { get; init; }

    /// <summary>The grader's explanation from the latest evaluation.</summary>
    public string? Explanation { get; init; }

    /// <summary>When the outcome reached a terminal result.</summary>
    public DateTimeOffset? CompletedAt { get; init; }
}
