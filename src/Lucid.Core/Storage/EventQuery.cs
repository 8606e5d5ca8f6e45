namespace Lucid.Storage;

/// <summary>Filters for listing a session's events. Events are ordered by sequence number, which follows <c>processed_at</c>.</summary>
public sealed record EventQuery
{
    /// <summary>Only events of these types, or all when null or empty.</summary>
    public IReadOnlySet<string>? Types { get; init; }

    /// <summary>Only events processed after this time (exclusive).</summary>
    public DateTimeOffset? ProcessedAfter { get; init; }

    /// <summary>Only events processed at or after this time.</summary>
    public DateTimeOffset? ProcessedAtOrAfter { get; init; }

    /// <summary>Only events processed before this time (exclusive).</summary>
    public DateTimeOffset? ProcessedBefore { get; init; }

    /// <summary>Only events processed at or before this time.</summary>
    public DateTimeOffset? ProcessedAtOrBefore { get; init; }

    /// <summary>Newest first instead of oldest first.</summary>
    public bool Descending { get; init; }

    /// <summary>Whether an event passes the filters (stores may use it, or translate the filters to their query language).</summary>
    public bool Matches(Events.LoggedEvent logged)
    {
        ArgumentNullException.ThrowIfNull(logged);
        var at = logged.Event.ProcessedAt;
        return (Types is not { Count: > 0 } || Types.Contains(logged.Event.Type))
            && (ProcessedAfter is not { } a || at > a)
            && (ProcessedAtOrAfter is not { } b || at >= b)
            && (ProcessedBefore is not { } c || at < c)
            && (ProcessedAtOrBefore is not { } d || at <= d);
    }
}
