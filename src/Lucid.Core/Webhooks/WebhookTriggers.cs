using Lucid.Deployments;
using Lucid.Events;
using Lucid.Memory;
using Lucid.Sessions;
using static Lucid.Webhooks.WebhookEventTypes;

namespace Lucid.Webhooks;

/// <summary>
/// Which webhook events a stored change makes. A store calls these inside the transaction that writes the change and
/// records what they return in the same transaction, so a notification exists exactly when its change does.
/// </summary>
public static partial class WebhookTriggers
{
    /// <summary>
    /// The events of entries appended to a session's own log, given the session as it was before the append. Thread
    /// status changes are read from the copies posted to the session's log, so a thread's own log adds nothing. Besides
    /// the <c>session.status_*</c> type of each status event, a change of the session's status sends
    /// <c>session.running</c>, <c>session.idled</c> (and <c>session.requires_action</c> when it waits for a tool
    /// confirmation or custom tool result) or <c>session.pending</c> (rescheduling); a status event that leaves the
    /// status as it was sends only its <c>session.status_*</c> type.
    /// </summary>
    public static IEnumerable<WebhookEvent> OfSessionLog(Session before, IEnumerable<LoggedEvent> appended)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(appended);
        var status = before.Status;
        foreach (var entry in appended)
        {
            var e = entry.Event;
            WebhookEvent Make(string type, string? threadId = null) => WebhookEvent.Of(e.Id, before.WorkspaceId, type, before.Id, e.ProcessedAt, threadId);
            if (StatusOf(e) is { } next && next != status)
            {
                status = next;
                foreach (var type in TransitionTypes(e))
                {
                    yield return Make(type);
                }
            }

            switch (e)
            {
                case SessionUpdatedEvent:
                    yield return Make(SessionUpdated);
                    break;
                case SessionStatusRunningEvent:
                    yield return Make(SessionRunStarted);
                    break;
                case SessionStatusIdleEvent idle:
                    yield return Make(SessionIdled);
                    if (idle.StopReason.Type == StopReason.BudgetReached.Type)
                    {
                        yield return Make(SessionBudgetReached);
                    }

                    break;
                case SessionStatusRescheduledEvent:
                    yield return Make(SessionRescheduled);
                    break;
                case SessionStatusTerminatedEvent:
                    yield return Make(SessionTerminated);
                    break;
                case SpanOutcomeEvaluationEndEvent:
                    yield return Make(OutcomeEvaluationEnded);
                    break;
                case SessionThreadCreatedEvent created:
                    yield return Make(ThreadCreated, created.SessionThreadId);
                    break;
                case SessionThreadStatusIdleEvent idle:
                    yield return Make(ThreadIdled, idle.SessionThreadId);
                    break;
                case SessionThreadStatusTerminatedEvent terminated:
                    yield return Make(ThreadTerminated, terminated.SessionThreadId);
                    break;
            }
        }
    }

    // The status a session's status event leaves it in (as SessionProjection applies it), or null for other events.
    private static SessionStatus? StatusOf(SessionEvent e) => e switch
    {
        SessionStatusRunningEvent => SessionStatus.Running,
        SessionStatusIdleEvent => SessionStatus.Idle,
        SessionStatusRescheduledEvent => SessionStatus.Rescheduling,
        SessionStatusTerminatedEvent => SessionStatus.Terminated,
        _ => null,
    };

    // The types a status event sends when it changed the session's status; ending a session has none of its own.
    private static IEnumerable<string> TransitionTypes(SessionEvent e) => e switch
    {
        SessionStatusRunningEvent => [SessionRunning],
        SessionStatusIdleEvent { StopReason.Type: "requires_action" } => [SessionBecameIdle, SessionRequiresAction],
        SessionStatusIdleEvent => [SessionBecameIdle],
        SessionStatusRescheduledEvent => [SessionPending],
        _ => [],
    };

    /// <summary>A session was created.</summary>
    public static WebhookEvent OfNewSession(Session session) => OfNew(session, SessionCreated);

    /// <summary>
    /// A session row changed through an update: <c>session.archived</c> when this change archived it, else
    /// <c>session.updated</c> (its resources; an update stamps <c>updated_at</c>). Title, metadata and budget change
    /// through a <c>session.updated</c> event of its log (<see cref="OfSessionLog"/>).
    /// </summary>
    public static IEnumerable<WebhookEvent> OfSessionChange(Session before, Session after) => OfChange(before, after, SessionArchived, SessionUpdated);

    /// <summary>A session was deleted.</summary>
    public static WebhookEvent OfDeletedSession(Session session, DateTimeOffset at) => OfDeleted(session, SessionDeleted, at);

    /// <summary>A deployment run was recorded (started), or later given its session (succeeded) or its error (failed).</summary>
    public static WebhookEvent OfDeploymentRun(DeploymentRun run, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(run);
        var type = run.Error is not null ? DeploymentRunFailed : run.SessionId is not null ? DeploymentRunSucceeded : DeploymentRunStarted;
        return WebhookEvent.Of(run.Id, run.WorkspaceId, type, run.Id, at);
    }

    /// <summary>A memory store was created.</summary>
    public static WebhookEvent OfNewMemoryStore(MemoryStore store) => OfNew(store, MemoryStoreCreated);

    /// <summary>A memory store changed: <c>memory_store.archived</c> when this change archived it.</summary>
    public static IEnumerable<WebhookEvent> OfMemoryStoreChange(MemoryStore before, MemoryStore after) => OfChange(before, after, MemoryStoreArchived, updatedType: null);

    /// <summary>A memory store was deleted.</summary>
    public static WebhookEvent OfDeletedMemoryStore(MemoryStore store, DateTimeOffset at) => OfDeleted(store, MemoryStoreDeleted, at);

    // A resource was created: its creation event, keyed by its ID.
    private static WebhookEvent OfNew(IWorkspaceResource resource, string type)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return WebhookEvent.Of(resource.Id, resource.WorkspaceId, type, resource.Id, resource.CreatedAt);
    }

    // A resource was deleted at `at`.
    private static WebhookEvent OfDeleted(IWorkspaceResource resource, string type, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return WebhookEvent.Of(resource.Id, resource.WorkspaceId, type, resource.Id, at);
    }

    // The archiving event of a change that archived a resource, else (for resources that have one) an update event when
    // it stamped a new updated_at.
    private static IEnumerable<WebhookEvent> OfChange(IWorkspaceResource before, IWorkspaceResource after, string archivedType, string? updatedType)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var archived = IfArchived(before.ArchivedAt, after.ArchivedAt, after, archivedType);
        return archived.Any() || updatedType is null || after.UpdatedAt == before.UpdatedAt
            ? archived
            : [WebhookEvent.Of($"{after.Id}|{after.UpdatedAt:O}", after.WorkspaceId, updatedType, after.Id, after.UpdatedAt)];
    }

    // The archiving event of a change that archived a resource, or nothing.
    private static IEnumerable<WebhookEvent> IfArchived(DateTimeOffset? before, DateTimeOffset? after, IWorkspaceResource resource, string type) =>
        before is null && after is { } archivedAt ? [WebhookEvent.Of(resource.Id, resource.WorkspaceId, type, resource.Id, archivedAt)] : [];
}
