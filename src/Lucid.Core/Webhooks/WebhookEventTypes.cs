namespace Lucid.Webhooks;

/// <summary>
/// The webhook event types Lucid sends, named as the SDK's webhook event data types name them. Organization-level
/// types (external keys and storage, user profiles) need Anthropic's own infrastructure and are not sent; a type the
/// SDK does not define (such as <c>session.status_scheduled</c>) is not a type at all.
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

    /// <summary>A session's status became <c>rescheduling</c>: it waits to run its turn again.</summary>
    public const string SessionPending = "session.pending";

    /// <summary>A session's status became <c>running</c>.</summary>
    public const string SessionRunning = "session.running";

    /// <summary>A session's status became <c>idle</c>.</summary>
    public const string SessionBecameIdle = "session.idled";

    /// <summary>A session's status became <c>idle</c> waiting for a tool confirmation or a custom tool result.</summary>
    public const string SessionRequiresAction = "session.requires_action";

    /// <summary>An agent was created.</summary>
    public const string AgentCreated = "agent.created";

    /// <summary>An agent got a new version.</summary>
    public const string AgentUpdated = "agent.updated";

    /// <summary>An agent was archived.</summary>
    public const string AgentArchived = "agent.archived";

    /// <summary>An agent was deleted; Lucid has no agent delete, so it is never sent.</summary>
    public const string AgentDeleted = "agent.deleted";

    /// <summary>An environment was created.</summary>
    public const string EnvironmentCreated = "environment.created";

    /// <summary>An environment's name, description, metadata or configuration changed.</summary>
    public const string EnvironmentUpdated = "environment.updated";

    /// <summary>An environment was archived.</summary>
    public const string EnvironmentArchived = "environment.archived";

    /// <summary>An environment was deleted.</summary>
    public const string EnvironmentDeleted = "environment.deleted";

    /// <summary>A vault was created.</summary>
    public const string VaultCreated = "vault.created";

    /// <summary>A vault was archived.</summary>
    public const string VaultArchived = "vault.archived";

    /// <summary>A vault was deleted (with its credentials).</summary>
    public const string VaultDeleted = "vault.deleted";

    /// <summary>A vault credential was created.</summary>
    public const string CredentialCreated = "vault_credential.created";

    /// <summary>A vault credential was archived.</summary>
    public const string CredentialArchived = "vault_credential.archived";

    /// <summary>A vault credential was deleted.</summary>
    public const string CredentialDeleted = "vault_credential.deleted";

    /// <summary>Refreshing an <c>mcp_oauth</c> credential's access token failed.</summary>
    public const string CredentialRefreshFailed = "vault_credential.refresh_failed";

    /// <summary>A deployment was created.</summary>
    public const string DeploymentCreated = "deployment.created";

    /// <summary>A deployment's settings changed.</summary>
    public const string DeploymentUpdated = "deployment.updated";

    /// <summary>A deployment was paused.</summary>
    public const string DeploymentPaused = "deployment.paused";

    /// <summary>A deployment was unpaused.</summary>
    public const string DeploymentUnpaused = "deployment.unpaused";

    /// <summary>A deployment was archived.</summary>
    public const string DeploymentArchived = "deployment.archived";

    /// <summary>A deployment was deleted; Lucid has no deployment delete, so it is never sent.</summary>
    public const string DeploymentDeleted = "deployment.deleted";

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
        SessionPending, SessionRunning, SessionBecameIdle, SessionRequiresAction,
        SessionBudgetReached, OutcomeEvaluationEnded, ThreadCreated, ThreadIdled, ThreadTerminated,
        AgentCreated, AgentUpdated, AgentArchived, AgentDeleted,
        EnvironmentCreated, EnvironmentUpdated, EnvironmentArchived, EnvironmentDeleted,
        VaultCreated, VaultArchived, VaultDeleted, CredentialCreated, CredentialArchived, CredentialDeleted, CredentialRefreshFailed,
        DeploymentCreated, DeploymentUpdated, DeploymentPaused, DeploymentUnpaused, DeploymentArchived, DeploymentDeleted,
        DeploymentRunStarted, DeploymentRunSucceeded, DeploymentRunFailed,
        MemoryStoreCreated, MemoryStoreArchived, MemoryStoreDeleted,
    ];
}
