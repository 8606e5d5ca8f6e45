namespace Lucid.Webhooks;

/// <summary>
/// The webhook event types Lucid sends, named as the SDK's webhook event data types name them. Organization-level
/// types (external keys and storage, user profiles) need Anthropic's own infrastructure and are not sent.
/// </summary>
public static class WebhookEventTypes
{
    /// <summary>A session's agent started working (<c>session.status_running</c>).</summary>
    public const string SessionRunStarted = "session.status_run_started";

    /// <summary>A session went idle (<c>session.status_idle</c>).</summary>
    public const string SessionIdled = "session.status_idled";

    /// <summary>A session's turn is being redone after the server stopped.</summary>
    public const string SessionRescheduled = "session.status_rescheduled";

    /// <summary>A session ended for good.</summary>
    public const string SessionTerminated = "session.status_terminated";

    /// <summary>A session went idle because its cost reached its budget.</summary>
    public const string SessionBudgetReached = "session.budget_reached";

    /// <summary>A grader finished evaluating an outcome.</summary>
    public const string OutcomeEvaluationEnded = "session.outcome_evaluation_ended";

    /// <summary>A session's agent started a thread.</summary>
    public const string ThreadCreated = "session.thread_created";

    /// <summary>A session's thread went idle.</summary>
    public const string ThreadIdled = "session.thread_idled";

    /// <summary>A session's thread ended for good.</summary>
    public const string ThreadTerminated = "session.thread_terminated";

    /// <summary>A session was created.</summary>
    public const string SessionCreated = "session.created";

    /// <summary>A session was archived.</summary>
    public const string SessionArchived = "session.archived";

    /// <summary>A session was deleted.</summary>
    public const string SessionDeleted = "session.deleted";

    /// <summary>A session's title, metadata, budget or resources were changed.</summary>
    public const string SessionUpdated = "session.updated";

    /// <summary>A deployment run claimed its tick (or was started by hand).</summary>
    public const string DeploymentRunStarted = "deployment_run.started";

    /// <summary>A deployment run started its session.</summary>
    public const string DeploymentRunSucceeded = "deployment_run.succeeded";

    /// <summary>A deployment run could not start its session.</summary>
    public const string DeploymentRunFailed = "deployment_run.failed";

    /// <summary>A memory store was created.</summary>
    public const string MemoryStoreCreated = "memory_store.created";

    /// <summary>A memory store was archived.</summary>
    public const string MemoryStoreArchived = "memory_store.archived";

    /// <summary>A memory store was deleted.</summary>
    public const string MemoryStoreDeleted = "memory_store.deleted";

    /// <summary>Every type an endpoint can subscribe to.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        SessionCreated, SessionUpdated, SessionArchived, SessionDeleted, SessionRunStarted, SessionIdled, SessionRescheduled, SessionTerminated,
        SessionBudgetReached, OutcomeEvaluationEnded, ThreadCreated, ThreadIdled, ThreadTerminated,
        DeploymentRunStarted, DeploymentRunSucceeded, DeploymentRunFailed,
        MemoryStoreCreated, MemoryStoreArchived, MemoryStoreDeleted,
    ];
}
