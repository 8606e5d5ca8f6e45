namespace Lucid.Memory;

/// <summary>One memory: a UTF-8 text document at a path inside a store.</summary>
public sealed record MemoryDocument
{
    /// <summary>The memory's ID (<c>mem_…</c>); it survives renames.</summary>
    public required string Id { get; init; }

    /// <summary>The store it belongs to.</summary>
    public required string StoreId { get; init; }

    /// <summary>Its path, such as <c>/playbooks/deploy.md</c>.</summary>
    public required string Path { get; init; }

    /// <summary>Its text, or null when it was listed without contents.</summary>
    public required string? Content { get; init; }

    /// <summary>Lowercase hex SHA-256 of the UTF-8 bytes of <see cref="Content"/>.</summary>
    public required string ContentSha256 { get; init; }

    /// <summary>The UTF-8 size of <see cref="Content"/>.</summary>
    public required int ContentSizeBytes { get; init; }

    /// <summary>The version holding the current content and path.</summary>
    public required string VersionId { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its content or path last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
