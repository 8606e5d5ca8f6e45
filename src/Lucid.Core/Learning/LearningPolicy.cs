namespace Lucid.Learning;

/// <summary>
/// A deployment's learning policy (a Lucid extension): after enough new graded sessions, or on a cron schedule, dream
/// over the deployment's new graded sessions into one of the memory stores its sessions mount. The dream updates that
/// store itself, so what it writes reaches the deployment's next sessions — and with review required (the default)
/// it writes nothing until a person has accepted its changes and finished the review.
/// </summary>
public sealed record LearningPolicy
{
    /// <summary>The policy's ID (<c>lrnp_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The tenant workspace.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>The deployment whose sessions it learns from.</summary>
    public required string DeploymentId { get; init; }

    /// <summary>The memory store it dreams into: one the deployment's sessions mount.</summary>
    public required string MemoryStoreId { get; init; }

    /// <summary>When it dreams.</summary>
    public required LearningTrigger Trigger { get; init; }

    /// <summary>The model that runs its dreams.</summary>
    public required string Model { get; init; }

    /// <summary>Guidance for its dreams, or null.</summary>
    public string? Instructions { get; init; }

    /// <summary>Whether its dreams wait for review before writing anything (the default); false only when asked for.</summary>
    public bool ReviewRequired { get; init; } = true;

    /// <summary>Whether it dreams at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Its latest dream, or null before the first.</summary>
    public string? LastDreamId { get; init; }

    /// <summary>The creation time of the newest session its dreams have read; later graded sessions are new.</summary>
    public DateTimeOffset? LearnedUntil { get; init; }

    /// <summary>A cron trigger's latest tick that was counted.</summary>
    public DateTimeOffset? LastTickAt { get; init; }

    /// <summary>Why its latest attempt to start a dream failed, or null.</summary>
    public string? LastError { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>When a learning policy dreams: after <see cref="GradedSessions"/> new graded sessions, or at each tick of a cron schedule that finds any.</summary>
public sealed record LearningTrigger
{
    /// <summary>Dream once this many new graded sessions have ended (1–100); null for a cron trigger.</summary>
    public int? GradedSessions { get; init; }

    /// <summary>A 5-field cron expression; null for a count trigger.</summary>
    public string? Cron { get; init; }

    /// <summary>The cron expression's IANA time zone.</summary>
    public string Timezone { get; init; } = "UTC";
}
