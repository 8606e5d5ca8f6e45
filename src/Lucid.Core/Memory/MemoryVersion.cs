namespace Lucid.Memory;

/// <summary>One entry of a store's append-only history: a single change to one memory and who made it.</summary>
public sealed record MemoryVersion
{
    /// <summary>The version's ID (<c>memver_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The store.</summary>
    public required string StoreId { get; init; }

    /// <summary>The memory changed; still valid after the memory is deleted.</summary>
    public required string MemoryId { get; init; }

    /// <summary>What changed.</summary>
    public required MemoryOperation Operation { get; init; }

    /// <summary>The memory's path as of this version; null once redacted.</summary>
    public string? Path { get; init; }

    /// <summary>The content as of this version; null for a deletion or once redacted.</summary>
    public string? Content { get; init; }

    /// <summary>SHA-256 of <see cref="Content"/>; null for a deletion or once redacted.</summary>
    public string? ContentSha256 { get; init; }

    /// <summary>UTF-8 size of <see cref="Content"/>; null for a deletion or once redacted.</summary>
    public int? ContentSizeBytes { get; init; }

    /// <summary>Who made the change.</summary>
    public required MemoryActor CreatedBy { get; init; }

    /// <summary>When it was written.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was redacted, or null.</summary>
    public DateTimeOffset? RedactedAt { get; init; }

    /// <summary>Who redacted it, or null.</summary>
    public MemoryActor? RedactedBy { get; init; }
}
