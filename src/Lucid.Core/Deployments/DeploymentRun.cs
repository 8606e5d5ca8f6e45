namespace Lucid.Deployments;

/// <summary>One start of a deployment: the session it created, or why none was.</summary>
public sealed record DeploymentRun
{
    /// <summary>The run's ID (<c>drun_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The workspace of its deployment.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>The deployment it ran.</summary>
    public required string DeploymentId { get; init; }

    /// <summary>The agent it ran.</summary>
    public required string AgentId { get; init; }

    /// <summary>The agent version it ran.</summary>
    public required int AgentVersion { get; init; }

    /// <summary>What started it.</summary>
    public required DeploymentTrigger Trigger { get; init; }

    /// <summary>For a scheduled run, the tick (UTC) it ran; with the deployment, unique in the store.</summary>
    public DateTimeOffset? ScheduledAt { get; init; }

    /// <summary>The session it started, or null while starting or when it failed.</summary>
    public string? SessionId { get; init; }

    /// <summary>Why no session was started, or null.</summary>
    public DeploymentRunError? Error { get; init; }

    /// <summary>When the run was recorded.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>What started a run.</summary>
public enum DeploymentTrigger
{
    /// <summary>The deployment's cron schedule.</summary>
    Schedule,

    /// <summary>A caller's run-now request.</summary>
    Manual,
}

/// <summary>Why a run started no session.</summary>
/// <param name="Type">The error's wire type, such as <c>unknown_error</c>.</param>
/// <param name="Message">What happened, for people.</param>
public sealed record DeploymentRunError(string Type, string Message);
