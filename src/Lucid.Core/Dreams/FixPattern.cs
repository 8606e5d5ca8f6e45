namespace Lucid.Dreams;

/// <summary>One way an error pattern was fixed: the input change of the next successful call of the same tool.</summary>
public sealed record FixPattern
{
    /// <summary>The input change (see <see cref="DigestToolFix.Change"/>).</summary>
    public required string Change { get; init; }

    /// <summary>How many times an error was fixed this way.</summary>
    public int Occurrences { get; init; }

    /// <summary>How many sessions fixed it this way.</summary>
    public int Sessions { get; init; }

    /// <summary>How many distinct tasks (<see cref="Lucid.Sessions.SessionTasks"/>) those sessions named; sessions that name none are not counted.</summary>
    public int Tasks { get; init; }

    /// <summary>Those sessions.</summary>
    public IReadOnlyList<string> SessionIds { get; init; } = [];

    /// <summary>The successful <c>agent.tool_use</c> events (at most 20).</summary>
    public IReadOnlyList<string> EventIds { get; init; } = [];
}
