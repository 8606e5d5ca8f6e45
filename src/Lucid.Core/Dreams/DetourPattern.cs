namespace Lucid.Dreams;

/// <summary>A detour seen in one or more sessions: a repeated identical call, or an error met again in the same session.</summary>
public sealed record DetourPattern
{
    /// <summary><see cref="DigestRepeat.RepeatedCall"/> or <see cref="DigestRepeat.RepeatedError"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The tool.</summary>
    public required string Tool { get; init; }

    /// <summary>The error signature (repeated errors) or the input (repeated calls).</summary>
    public required string Signature { get; init; }

    /// <summary>Repeats beyond the first, summed over sessions.</summary>
    public int ExtraOccurrences { get; init; }

    /// <summary>Sessions where it happened.</summary>
    public int Sessions { get; init; }

    /// <summary>How many distinct tasks (<see cref="Lucid.Sessions.SessionTasks"/>) those sessions named; sessions that name none are not counted.</summary>
    public int Tasks { get; init; }

    /// <summary>Those sessions.</summary>
    public IReadOnlyList<string> SessionIds { get; init; } = [];

    /// <summary>The events (at most 20).</summary>
    public IReadOnlyList<string> EventIds { get; init; } = [];
}
