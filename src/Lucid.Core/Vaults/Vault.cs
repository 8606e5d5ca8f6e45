namespace Lucid.Vaults;

/// <summary>A named set of credentials a session can use (<c>vault_ids</c>): MCP servers' tokens and sandbox variables.</summary>
public sealed record Vault : IWorkspaceResource
{
    /// <summary>The vault's ID (<c>vlt_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The tenant workspace it belongs to.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>A name for people (1–255 characters).</summary>
    public required string DisplayName { get; init; }

    /// <summary>Metadata pairs.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it was archived, or null. An archived vault's credentials are not used.</summary>
    public DateTimeOffset? ArchivedAt { get; init; }
}
