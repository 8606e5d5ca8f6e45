namespace Lucid.Dreams;

/// <summary>Why outcomes were not satisfied: a rubric criterion the grader found unmet, or an explanation's signature.</summary>
public sealed record FailureReason
{
    /// <summary>The criterion, or the explanation's signature when the grader named no criterion.</summary>
    public required string Criterion { get; init; }

    /// <summary>Whether <see cref="Criterion"/> is an explanation's signature rather than a named criterion.</summary>
    public bool FromExplanation { get; init; }

    /// <summary>Evaluations that failed on it.</summary>
    public int Occurrences { get; init; }

    /// <summary>Sessions with such an evaluation.</summary>
    public int Sessions { get; init; }

    /// <summary>How many distinct tasks (<see cref="Lucid.Sessions.SessionTasks"/>) those sessions named; sessions that name none are not counted.</summary>
    public int Tasks { get; init; }

    /// <summary>One piece of the grader's evidence.</summary>
    public string Example { get; init; } = "";

    /// <summary>Those sessions.</summary>
    public IReadOnlyList<string> SessionIds { get; init; } = [];

    /// <summary>The <c>span.outcome_evaluation_end</c> events (at most 20).</summary>
    public IReadOnlyList<string> EventIds { get; init; } = [];
}
