namespace Lucid.Dreams;

/// <summary>
/// Patterns mined across sessions without a model, each with its counts and the session and event IDs that support it.
/// Passing sessions are those whose final outcome is <c>satisfied</c>; failing ones ended <c>failed</c> or
/// <c>max_iterations_reached</c>; the rest are ungraded.
/// </summary>
public sealed record MiningReport
{
    /// <summary>The sessions mined, in the order they were added.</summary>
    public required IReadOnlyList<string> SessionIds { get; init; }

    /// <summary>Sessions whose final outcome is <c>satisfied</c>.</summary>
    public int PassingSessions { get; init; }

    /// <summary>Sessions whose final outcome is <c>failed</c> or <c>max_iterations_reached</c>.</summary>
    public int FailingSessions { get; init; }

    /// <summary>Sessions with no final outcome.</summary>
    public int UngradedSessions { get; init; }

    /// <summary>How many distinct tasks the sessions named (<see cref="Lucid.Sessions.SessionTasks"/>).</summary>
    public int Tasks { get; init; }

    /// <summary>How many of the sessions named their task.</summary>
    public int SessionsWithTask { get; init; }

    /// <summary>Events read.</summary>
    public long Events { get; init; }

    /// <summary>Per tool: calls, failures and failure rates overall and in passing versus failing sessions; most failures first.</summary>
    public IReadOnlyList<ToolFailureStats> Tools { get; init; } = [];

    /// <summary>Tool failure rates over all tools in passing, failing and ungraded sessions.</summary>
    public required VerdictFailureRates FailureRates { get; init; }

    /// <summary>Error signatures met in two or more sessions (or twice in one), most sessions first, with how they were fixed.</summary>
    public IReadOnlyList<ErrorPattern> RecurringErrors { get; init; } = [];

    /// <summary>Detours repeated across sessions: identical calls made again, the same error met again.</summary>
    public IReadOnlyList<DetourPattern> Detours { get; init; } = [];

    /// <summary>Why outcomes were not satisfied, grouped by rubric criterion (or by explanation when the grader named none).</summary>
    public IReadOnlyList<FailureReason> FailureReasons { get; init; } = [];

    /// <summary>Workflows that succeeded repeatedly: the same tool sequence in passing sessions, most sessions first.</summary>
    public IReadOnlyList<WorkflowPattern> Workflows { get; init; } = [];

    /// <summary>Memory paths and how often they were read or written in passing versus failing sessions.</summary>
    public IReadOnlyList<MemoryPattern> Memories { get; init; } = [];

    /// <summary>Tokens over all sessions, and those spent on requests whose tool calls all failed.</summary>
    public required DigestTokens Tokens { get; init; }
}
