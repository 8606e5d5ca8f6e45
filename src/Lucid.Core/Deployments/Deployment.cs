using Lucid.Events;
using Lucid.Memory;

namespace Lucid.Deployments;

/// <summary>An agent bound to an environment, resources and initial events, started as sessions on demand or on a schedule.</summary>
public sealed record Deployment : IWorkspaceResource
{
    /// <summary>The deployment's ID (<c>depl_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The tenant workspace it belongs to.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>A name for people.</summary>
    public required string Name { get; init; }

    /// <summary>What it does, or null.</summary>
    public string? Description { get; init; }

    /// <summary>The agent's ID.</summary>
    public required string AgentId { get; init; }

    /// <summary>The agent version it is pinned to (the latest at creation when the caller named none).</summary>
    public required int AgentVersion { get; init; }

    /// <summary>The environment its sessions run in.</summary>
    public required string EnvironmentId { get; init; }

    /// <summary>Input events sent to each session it starts (1 to 50).</summary>
    public required IReadOnlyList<SessionEvent> InitialEvents { get; init; }

    /// <summary>Memory stores attached to each session.</summary>
    public IReadOnlyList<MemoryAttachment> Resources { get; init; } = [];

    /// <summary>Files of the Files API mounted into each session.</summary>
    public IReadOnlyList<Lucid.Resources.FileAttachment> Files { get; init; } = [];

    /// <summary>Repositories cloned into each session when it starts; never with an authorization token.</summary>
    public IReadOnlyList<Lucid.Resources.RepositoryAttachment> Repositories { get; init; } = [];

    /// <summary>Vaults whose credentials its sessions use.</summary>
    public IReadOnlyList<string> VaultIds { get; init; } = [];

    /// <summary>Metadata pairs.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The cron schedule, or null for manual runs only.</summary>
    public DeploymentSchedule? Schedule { get; init; }

    /// <summary>The spend ceiling copied onto each session it starts, or null for uncapped sessions.</summary>
    public Sessions.SessionBudget? Budget { get; init; }

    /// <summary>When it was paused by the caller, or null when active.</summary>
    public DateTimeOffset? PausedAt { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it was archived, or null.</summary>
    public DateTimeOffset? ArchivedAt { get; init; }
}
