namespace Lucid.Dreams;

/// <summary>A memory path and the sessions that read or wrote it, split by how they ended.</summary>
public sealed record MemoryPattern
{
    /// <summary>The path under <c>/mnt/memory/</c>.</summary>
    public required string Path { get; init; }

    /// <summary>Passing sessions that read it.</summary>
    public int ReadInPassing { get; init; }

    /// <summary>Failing sessions that read it.</summary>
    public int ReadInFailing { get; init; }

    /// <summary>Ungraded sessions that read it.</summary>
    public int ReadInUngraded { get; init; }

    /// <summary>Sessions that wrote or edited it.</summary>
    public int WrittenIn { get; init; }

    /// <summary>How many distinct tasks (<see cref="Lucid.Sessions.SessionTasks"/>) those sessions named; sessions that name none are not counted.</summary>
    public int Tasks { get; init; }

    /// <summary>The sessions that touched it.</summary>
    public IReadOnlyList<string> SessionIds { get; init; } = [];

    /// <summary>The <c>agent.tool_use</c> events (at most 20).</summary>
    public IReadOnlyList<string> EventIds { get; init; } = [];
}
