namespace Lucid.Deployments;

/// <summary>A deployment's cron schedule and where its clock stands.</summary>
public sealed record DeploymentSchedule
{
    /// <summary>The 5-field cron expression.</summary>
    public required string Expression { get; init; }

    /// <summary>The IANA time zone the expression is read in.</summary>
    public required string Timezone { get; init; }

    /// <summary>
    /// Ticks at or before this instant are never run: it moves to the creation, the schedule's last change, the last
    /// unpause, and each tick run, so a paused period's ticks are skipped and a tick runs at most once.
    /// </summary>
    public required DateTimeOffset CountsFrom { get; init; }

    /// <summary>When the last scheduled run started, or null.</summary>
    public DateTimeOffset? LastRunAt { get; init; }
}
