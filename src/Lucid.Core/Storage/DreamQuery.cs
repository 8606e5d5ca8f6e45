using Lucid.Dreams;

namespace Lucid.Storage;

/// <summary>Filters for listing a workspace's dreams, newest first.</summary>
public sealed record DreamQuery
{
    /// <summary>Include archived dreams.</summary>
    public bool IncludeArchived { get; init; }

    /// <summary>Only dreams in one of these statuses, or any when null or empty.</summary>
    public IReadOnlySet<DreamStatus>? Statuses { get; init; }

    /// <summary>Only dreams created after this time (exclusive).</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Only dreams created before this time (exclusive).</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Whether a dream passes the filters (the workspace is matched by the store).</summary>
    public bool Matches(Dream dream)
    {
        ArgumentNullException.ThrowIfNull(dream);
        return (IncludeArchived || dream.ArchivedAt is null)
            && (Statuses is not { Count: > 0 } || Statuses.Contains(dream.Status))
            && (CreatedAfter is not { } a || dream.CreatedAt > a)
            && (CreatedBefore is not { } b || dream.CreatedAt < b);
    }
}
