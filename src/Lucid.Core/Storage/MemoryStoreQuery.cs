namespace Lucid.Storage;

/// <summary>Filters for listing memory stores.</summary>
public sealed record MemoryStoreQuery
{
    /// <summary>Include archived stores.</summary>
    public bool IncludeArchived { get; init; }

    /// <summary>Only stores created at or after this time.</summary>
    public DateTimeOffset? CreatedAtOrAfter { get; init; }

    /// <summary>Only stores created at or before this time.</summary>
    public DateTimeOffset? CreatedAtOrBefore { get; init; }
}
