namespace Lucid.Sessions;

/// <summary>A session: one agent (pinned to a version) working in one work directory, with its event log.</summary>
public sealed record Session : IWorkspaceResource
{
    /// <summary>The session's ID (<c>sesn_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The tenant workspace it belongs to.</summary>
    public string WorkspaceId { get; init; } = Workspaces.Default;

    /// <summary>The agent's ID.</summary>
    public required string AgentId { get; init; }

    /// <summary>The agent version the session is pinned to.</summary>
    public required int AgentVersion { get; init; }

    /// <summary>The environment's ID.</summary>
    public required string EnvironmentId { get; init; }

    /// <summary>The directory the session's tools work in.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>The deployment that started it, or null.</summary>
    public string? DeploymentId { get; init; }

    /// <summary>A title for people.</summary>
    public string? Title { get; init; }

    /// <summary>Metadata pairs.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The memory stores attached at creation, as the agent sees them.</summary>
    public IReadOnlyList<Memory.MemoryStoreResource> Resources { get; init; } = [];

    /// <summary>The files of the Files API mounted into its sandbox, read-only.</summary>
    public IReadOnlyList<Resources.FileResource> Files { get; init; } = [];

    /// <summary>The git repositories cloned into it when it was created.</summary>
    public IReadOnlyList<Resources.RepositoryResource> Repositories { get; init; } = [];

    /// <summary>The vaults whose credentials it uses, as named at creation.</summary>
    public IReadOnlyList<string> VaultIds { get; init; } = [];

    /// <summary>The lifecycle state, derived from the status events in the log.</summary>
    public SessionStatus Status { get; init; } = SessionStatus.Idle;

    /// <summary>Token usage summed over the session's model requests.</summary>
    public SessionUsage Usage { get; init; } = SessionUsage.Zero;

    /// <summary>The session's spend ceiling, or null when it has none (it was created without one, or it was removed).</summary>
    public SessionBudget? Budget { get; init; }

    /// <summary>The time the session's own (primary) thread has spent running.</summary>
    public ActiveTime Activity { get; init; } = ActiveTime.None;

    /// <summary>The running time of the session's child threads, summed over their ended running periods.</summary>
    public double ThreadsActiveSeconds { get; init; }

    /// <summary>The state of each outcome defined in the session, in order.</summary>
    public IReadOnlyList<Outcomes.OutcomeEvaluation> OutcomeEvaluations { get; init; } = [];

    /// <summary>The sequence number of the last event in the log (0 when empty).</summary>
    public long LastSequence { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it was archived, or null.</summary>
    public DateTimeOffset? ArchivedAt { get; init; }
}
