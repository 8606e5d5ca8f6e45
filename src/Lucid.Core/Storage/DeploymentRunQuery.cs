using Lucid.Deployments;

namespace Lucid.Storage;

/// <summary>Filters for listing deployment runs.</summary>
public sealed record DeploymentRunQuery
{
    /// <summary>Only runs of this deployment.</summary>
    public string? DeploymentId { get; init; }

    /// <summary>Only failed runs (true) or only runs with a session (false), or all when null.</summary>
    public bool? HasError { get; init; }

    /// <summary>Only runs started this way, or all when null.</summary>
    public DeploymentTrigger? Trigger { get; init; }

    /// <summary>Only runs created after this time.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Only runs created at or after this time.</summary>
    public DateTimeOffset? CreatedAtOrAfter { get; init; }

    /// <summary>Only runs created before this time.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Only runs created at or before this time.</summary>
    public DateTimeOffset? CreatedAtOrBefore { get; init; }

    /// <summary>Only runs that have neither a session nor an error (claimed, still starting, or cut short).</summary>
    public bool Unfinished { get; init; }

    /// <summary>Whether a run passes the filters (the workspace is matched by the store).</summary>
    public bool Matches(DeploymentRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return (DeploymentId is null || run.DeploymentId == DeploymentId)
            && (HasError is not { } error || (run.Error is not null) == error)
            && (Trigger is not { } trigger || run.Trigger == trigger)
            && (!Unfinished || run.SessionId is null && run.Error is null)
            && (CreatedAfter is not { } after || run.CreatedAt > after)
            && (CreatedAtOrAfter is not { } from || run.CreatedAt >= from)
            && (CreatedBefore is not { } before || run.CreatedAt < before)
            && (CreatedAtOrBefore is not { } to || run.CreatedAt <= to);
    }
}
