namespace Lucid.Storage;

/// <summary>Filters for listing agents (each by its latest version).</summary>
public sealed record AgentQuery
{
    /// <summary>Include archived agents.</summary>
    public bool IncludeArchived { get; init; }

    /// <summary>Only agents created at or after this time.</summary>
    public DateTimeOffset? CreatedAtOrAfter { get; init; }

    /// <summary>Only agents created at or before this time.</summary>
    public DateTimeOffset? CreatedAtOrBefore { get; init; }

    /// <summary>Whether an agent's latest version passes the filters (the workspace is matched by the store).</summary>
    public bool Matches(Agents.Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return (IncludeArchived || agent.ArchivedAt is null)
            && (CreatedAtOrAfter is not { } from || agent.CreatedAt >= from)
            && (CreatedAtOrBefore is not { } to || agent.CreatedAt <= to);
    }
}
