using Lucid.Sessions;

namespace Lucid.Storage;

/// <summary>Filters for listing a workspace's sessions, newest first unless <see cref="Ascending"/>.</summary>
public sealed record SessionQuery
{
    /// <summary>Include archived sessions.</summary>
    public bool IncludeArchived { get; init; }

    /// <summary>Only sessions of this agent.</summary>
    public string? AgentId { get; init; }

    /// <summary>Only sessions pinned to this agent version (with <see cref="AgentId"/>).</summary>
    public int? AgentVersion { get; init; }

    /// <summary>Only sessions in one of these statuses, or any when null or empty.</summary>
    public IReadOnlySet<SessionStatus>? Statuses { get; init; }

    /// <summary>Only sessions created after this time (exclusive).</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Only sessions created at or after this time.</summary>
    public DateTimeOffset? CreatedAtOrAfter { get; init; }

    /// <summary>Only sessions created before this time (exclusive).</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Only sessions created at or before this time.</summary>
    public DateTimeOffset? CreatedAtOrBefore { get; init; }

    /// <summary>Oldest first instead of newest first.</summary>
    public bool Ascending { get; init; }

    /// <summary>Only sessions that mount this memory store.</summary>
    public string? MemoryStoreId { get; init; }

    /// <summary>Only sessions started by this deployment.</summary>
    public string? DeploymentId { get; init; }

    /// <summary>Whether a session passes the filters (the workspace is matched by the store).</summary>
    public bool Matches(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var at = session.CreatedAt;
        return (IncludeArchived || session.ArchivedAt is null)
            && (AgentId is null || session.AgentId == AgentId)
            && (AgentVersion is not { } v || AgentId is null || session.AgentVersion == v)
            && (Statuses is not { Count: > 0 } || Statuses.Contains(session.Status))
            && (CreatedAfter is not { } a || at > a)
            && (CreatedAtOrAfter is not { } b || at >= b)
            && (CreatedBefore is not { } c || at < c)
            && (CreatedAtOrBefore is not { } d || at <= d)
            && (DeploymentId is null || session.DeploymentId == DeploymentId)
            && (MemoryStoreId is null || session.Resources.Any(r => r.MemoryStoreId == MemoryStoreId));
    }
}
