using Lucid.Memory;

namespace Lucid.Storage;

/// <summary>Filters for listing a store's memory versions.</summary>
public sealed record MemoryVersionQuery
{
    /// <summary>Only versions of this memory.</summary>
    public string? MemoryId { get; init; }

    /// <summary>Only versions recording this kind of change.</summary>
    public MemoryOperation? Operation { get; init; }

    /// <summary>Only versions written by this actor kind…</summary>
    public MemoryActorKind? ActorKind { get; init; }

    /// <summary>…with this actor ID (API key, user or session).</summary>
    public string? ActorId { get; init; }

    /// <summary>Only versions written at or after this time.</summary>
    public DateTimeOffset? CreatedAtOrAfter { get; init; }

    /// <summary>Only versions written at or before this time.</summary>
    public DateTimeOffset? CreatedAtOrBefore { get; init; }

    /// <summary>Whether to return contents (or only hashes and sizes).</summary>
    public bool IncludeContent { get; init; } = true;

    /// <summary>True when <paramref name="version"/> passes every filter.</summary>
    public bool Matches(MemoryVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return (MemoryId is null || version.MemoryId == MemoryId)
            && (Operation is not { } op || version.Operation == op)
            && (ActorKind is not { } kind || (version.CreatedBy.Kind == kind || (kind == MemoryActorKind.Session && version.CreatedBy.Kind == MemoryActorKind.Dream)))
            && (ActorId is null || version.CreatedBy.Id == ActorId)
            && (CreatedAtOrAfter is not { } a || version.CreatedAt >= a)
            && (CreatedAtOrBefore is not { } b || version.CreatedAt <= b);
    }
}
