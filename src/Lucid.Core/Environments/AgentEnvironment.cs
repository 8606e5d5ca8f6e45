namespace Lucid.Environments;

/// <summary>
/// A named configuration a session runs in. Where the hosted API runs a cloud container, Lucid runs a local sandbox
/// around a directory per session; the config says what that sandbox may reach.
/// </summary>
public sealed record AgentEnvironment : IWorkspaceResource
{
    private readonly EnvironmentConfig? _config;

    /// <summary>The environment's ID (<c>env_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The tenant workspace it belongs to.</summary>
    public string WorkspaceId { get; init; } = Workspaces.Default;

    /// <summary>The environment's name.</summary>
    public required string Name { get; init; }

    /// <summary>A description for people.</summary>
    public string? Description { get; init; }

    /// <summary>What the environment's sandboxes may reach, and their packages. Environments stored before configs were kept get the default.</summary>
    public EnvironmentConfig Config
    {
        get => _config ?? EnvironmentConfig.Default;
        init => _config = value; // null when stored JSON has no config: the serializer sets absent init-only members to null
    }


    /// <summary>Metadata pairs.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it was archived, or null.</summary>
    public DateTimeOffset? ArchivedAt { get; init; }
}
