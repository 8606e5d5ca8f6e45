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

    /// <summary>The deployment starting it, or null.</summary>
    public string? DeploymentId { get; init; }

    /// <summary>A title for people.</summary>
    public string? Title { get; init; }

    /// <summary>Metadata pairs.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The session's spend ceiling, or null for none. Every model the session can run must have list prices.</summary>
    public SessionBudget? Budget { get; init; }

    /// <summary>Memory stores to attach (at most 8, <c>MemoryMountPlanner.MaxMemoryStores</c>).</summary>
    public IReadOnlyList<Memory.MemoryAttachment> Resources { get; init; } = [];

    /// <summary>Files of the Files API to mount, read-only.</summary>
    public IReadOnlyList<Resources.FileAttachment> Files { get; init; } = [];

    /// <summary>Git repositories to clone into the session before it starts.</summary>
    public IReadOnlyList<Resources.RepositoryAttachment> Repositories { get; init; } = [];

    /// <summary>At most this many vaults per session.</summary>
    public const int MaxVaults = 50;

    /// <summary>The vaults whose credentials the session uses (at most <see cref="MaxVaults"/>), in order of precedence.</summary>
    public IReadOnlyList<string> VaultIds { get; init; } = [];

    /// <summary>Input events to send at creation, in order (at most 50).</summary>
    public IReadOnlyList<SessionEvent> InitialEvents { get; init; } = [];
}

/// <summary>What an update makes of a session's caller-editable fields.</summary>
/// <param name="Title">The title, or null for none.</param>
/// <param name="Metadata">The metadata pairs.</param>
/// <param name="Budget">The budget, or null for none.</param>
public sealed record SessionChanges(string? Title, IReadOnlyDictionary<string, string> Metadata, SessionBudget? Budget);
