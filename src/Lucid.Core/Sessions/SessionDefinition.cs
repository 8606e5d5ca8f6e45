using Lucid.Events;

namespace Lucid.Sessions;

/// <summary>What a caller supplies to create a session.</summary>
public sealed record SessionDefinition
{
    /// <summary>The agent's ID.</summary>
    public required string AgentId { get; init; }

    /// <summary>The agent version to pin, or null for the latest.</summary>
    public int? AgentVersion { get; init; }

    /// <summary>The environment's ID.</summary>
    public required string EnvironmentId { get; init; }

    /// <summary>The work directory, or null for a new one under <see cref="SessionEngineOptions.WorkDirectoriesRoot"/>.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>A title for people.</summary>
    public string? Title { get; init; }

    /// <summary>Metadata pairs.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Memory stores to attach (at most 8, <c>MemoryMountPlanner.MaxMemoryStores</c>).</summary>
    public IReadOnlyList<Memory.MemoryAttachment> Resources { get; init; } = [];

    /// <summary>Input events to send at creation, in order (at most 50).</summary>
    public IReadOnlyList<SessionEvent> InitialEvents { get; init; } = [];
}
