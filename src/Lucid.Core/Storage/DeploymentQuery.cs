using Lucid.Deployments;

namespace Lucid.Storage;

/// <summary>Filters for listing deployments.</summary>
public sealed record DeploymentQuery
{
    /// <summary>Include archived deployments.</summary>
    public bool IncludeArchived { get; init; }

    /// <summary>Only deployments of this agent.</summary>
    public string? AgentId { get; init; }

    /// <summary>Only paused (true) or only active (false) deployments, or both when null.</summary>
    public bool? Paused { get; init; }

    /// <summary>Only deployments created at or after this time.</summary>
    public DateTimeOffset? CreatedAtOrAfter { get; init; }

    /// <summary>Only deployments created at or before this time.</summary>
    public DateTimeOffset? CreatedAtOrBefore { get; init; }

    /// <summary>Only deployments with a schedule.</summary>
    public bool ScheduledOnly { get; init; }

    /// <summary>Whether a deployment passes the filters (the workspace is matched by the store).</summary>
    public bool Matches(Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return (IncludeArchived || deployment.ArchivedAt is null)
            && (AgentId is null || deployment.AgentId == AgentId)
            && (Paused is not { } paused || (deployment.PausedAt is not null) == paused)
            && (!ScheduledOnly || deployment.Schedule is not null)
            && (CreatedAtOrAfter is not { } from || deployment.CreatedAt >= from)
            && (CreatedAtOrBefore is not { } to || deployment.CreatedAt <= to);
    }
}
