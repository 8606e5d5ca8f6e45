namespace Lucid.Memory;

/// <summary>A named set of plain-text memories, scoped to a workspace, mounted into sessions under <c>/mnt/memory/</c>.</summary>
public sealed record MemoryStore : IWorkspaceResource
{
    /// <summary>The store's ID (<c>memstore_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The tenant workspace it belongs to.</summary>
    public string WorkspaceId { get; init; } = Workspaces.Default;

    /// <summary>A name for people; the mount directory's slug derives from it.</summary>
    public required string Name { get; init; }

    /// <summary>What the store holds, for the agent's system prompt; empty when unset.</summary>
    public string Description { get; init; } = "";

    /// <summary>Metadata pairs.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its name, description or metadata last changed, or it was archived.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it was archived (read-only from then on), or null.</summary>
    public DateTimeOffset? ArchivedAt { get; init; }
}
