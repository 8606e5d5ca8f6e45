namespace Lucid.Dreams;

/// <summary>
/// An error signature of one tool seen across sessions, and how it was fixed: "the same tool error, fixed the same way in
/// 5 of 8 sessions" is a pattern with <see cref="Sessions"/> 8 whose first fix has <see cref="FixPattern.Sessions"/> 5.
/// </summary>
public sealed record ErrorPattern
{
    /// <summary>The tool.</summary>
    public required string Tool { get; init; }

    /// <summary>The error signature.</summary>
    public required string Signature { get; init; }

    /// <summary>One error message with this signature.</summary>
    public required string Example { get; init; }

    /// <summary>How many times it occurred.</summary>
    public int Occurrences { get; init; }

    /// <summary>How many sessions met it.</summary>
    public int Sessions { get; init; }

    /// <summary>How many distinct tasks (<see cref="Lucid.Sessions.SessionTasks"/>) those sessions named; sessions that name none are not counted.</summary>
    public int Tasks { get; init; }

    /// <summary>How many of those sessions later made a successful call of the same tool.</summary>
    public int FixedSessions { get; init; }

    /// <summary>How many of those sessions passed their outcome.</summary>
    public int PassingSessions { get; init; }

    /// <summary>The sessions that met it.</summary>
    public IReadOnlyList<string> SessionIds { get; init; } = [];

    /// <summary>The failing <c>agent.tool_result</c> events (at most 20).</summary>
    public IReadOnlyList<string> EventIds { get; init; } = [];

    /// <summary>The fixes that followed, most sessions first.</summary>
    public IReadOnlyList<FixPattern> Fixes { get; init; } = [];
}
