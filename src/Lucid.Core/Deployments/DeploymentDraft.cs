using Lucid.Events;
using Lucid.Memory;

namespace Lucid.Deployments;

/// <summary>What a caller supplies to create a deployment, or what an update makes of it.</summary>
public sealed record DeploymentDraft
{
    /// <summary>A name for people.</summary>
    public required string Name { get; init; }

    /// <summary>What it does, or null.</summary>
    public string? Description { get; init; }

    /// <summary>The agent's ID.</summary>
    public required string AgentId { get; init; }

    /// <summary>The agent version to pin, or null for the latest.</summary>
    public int? AgentVersion { get; init; }

    /// <summary>The environment's ID.</summary>
    public required string EnvironmentId { get; init; }

    /// <summary>Input events sent to each session (1 to 50).</summary>
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

    /// <summary>The cron expression and time zone, or null for manual runs only.</summary>
    public (string Expression, string Timezone)? Schedule { get; init; }

    /// <summary>The spend ceiling copied onto each session it starts, or null for none.</summary>
    public Sessions.SessionBudget? Budget { get; init; }
}
