using Lucid.Agents;
using Lucid.Deployments;
using Lucid.Environments;
using Lucid.Vaults;
using static Lucid.Webhooks.WebhookEventTypes;

namespace Lucid.Webhooks;

/// <summary>The events of a workspace's configuration: agents, environments, vaults and their credentials, deployments.</summary>
public static partial class WebhookTriggers
{
    /// <summary>An agent was created (its first version).</summary>
    public static WebhookEvent OfNewAgent(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return WebhookEvent.Of(agent.Id, agent.WorkspaceId, AgentCreated, agent.Id, agent.CreatedAt);
    }

    /// <summary>An agent got a new version (an update; one that changes nothing makes no version).</summary>
    public static WebhookEvent OfAgentVersion(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return WebhookEvent.Of($"{agent.Id}|v{agent.Version}", agent.WorkspaceId, AgentUpdated, agent.Id, agent.UpdatedAt);
    }

    /// <summary>An agent's archive time was set: <c>agent.archived</c> when it was not archived before.</summary>
    public static IEnumerable<WebhookEvent> OfAgentArchive(Agent before, DateTimeOffset archivedAt)
    {
        ArgumentNullException.ThrowIfNull(before);
        return IfArchived(before.ArchivedAt, archivedAt, before.Id, before.WorkspaceId, AgentArchived);
    }

    /// <summary>An environment was created.</summary>
    public static WebhookEvent OfNewEnvironment(AgentEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return WebhookEvent.Of(environment.Id, environment.WorkspaceId, EnvironmentCreated, environment.Id, environment.CreatedAt);
    }

    /// <summary>An environment changed: <c>environment.archived</c> when this change archived it, else <c>environment.updated</c> when it stamped <c>updated_at</c>.</summary>
    public static IEnumerable<WebhookEvent> OfEnvironmentChange(AgentEnvironment before, AgentEnvironment after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return ArchivedOrUpdated(before.ArchivedAt, after.ArchivedAt, before.UpdatedAt, after.UpdatedAt, after.Id, after.WorkspaceId, EnvironmentArchived, EnvironmentUpdated);
    }

    /// <summary>An environment was deleted.</summary>
    public static WebhookEvent OfDeletedEnvironment(AgentEnvironment environment, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return WebhookEvent.Of(environment.Id, environment.WorkspaceId, EnvironmentDeleted, environment.Id, at);
    }

    /// <summary>A vault was created.</summary>
    public static WebhookEvent OfNewVault(Vault vault)
    {
        ArgumentNullException.ThrowIfNull(vault);
        return WebhookEvent.Of(vault.Id, vault.WorkspaceId, VaultCreated, vault.Id, vault.CreatedAt);
    }

    /// <summary>A vault changed: <c>vault.archived</c> when this change archived it (the SDK has no <c>vault.updated</c>).</summary>
    public static IEnumerable<WebhookEvent> OfVaultChange(Vault before, Vault after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return IfArchived(before.ArchivedAt, after.ArchivedAt, after.Id, after.WorkspaceId, VaultArchived);
    }

    /// <summary>A vault was deleted (its credentials go with it, without events of their own).</summary>
    public static WebhookEvent OfDeletedVault(Vault vault, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(vault);
        return WebhookEvent.Of(vault.Id, vault.WorkspaceId, VaultDeleted, vault.Id, at);
    }

    /// <summary>A credential was created.</summary>
    public static WebhookEvent OfNewCredential(VaultCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return OfCredential(credential.Id, credential, CredentialCreated, credential.CreatedAt);
    }

    /// <summary>A credential changed: <c>vault_credential.archived</c> when this change archived it (the SDK has no <c>vault_credential.updated</c>).</summary>
    public static IEnumerable<WebhookEvent> OfCredentialChange(VaultCredential before, VaultCredential after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return before.ArchivedAt is null && after.ArchivedAt is { } archivedAt ? [OfCredential(after.Id, after, CredentialArchived, archivedAt)] : [];
    }

    /// <summary>A credential was deleted.</summary>
    public static WebhookEvent OfDeletedCredential(VaultCredential credential, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return OfCredential(credential.Id, credential, CredentialDeleted, at);
    }

    /// <summary>Refreshing a credential's OAuth access token failed at <paramref name="at"/> (each failure is its own event).</summary>
    public static WebhookEvent OfCredentialRefreshFailure(VaultCredential credential, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return OfCredential($"{credential.Id}|{at:O}", credential, CredentialRefreshFailed, at);
    }

    /// <summary>A deployment was created.</summary>
    public static WebhookEvent OfNewDeployment(Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return WebhookEvent.Of(deployment.Id, deployment.WorkspaceId, DeploymentCreated, deployment.Id, deployment.CreatedAt);
    }

    /// <summary>
    /// A deployment changed: <c>deployment.archived</c> when this change archived it, else <c>deployment.paused</c> or
    /// <c>deployment.unpaused</c> when it paused or unpaused it, else <c>deployment.updated</c> when it stamped <c>updated_at</c>.
    /// </summary>
    public static IEnumerable<WebhookEvent> OfDeploymentChange(Deployment before, Deployment after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if ((before.PausedAt, after.PausedAt) is (null, { } pausedAt) && after.ArchivedAt is null)
        {
            return [WebhookEvent.Of($"{after.Id}|{pausedAt:O}", after.WorkspaceId, DeploymentPaused, after.Id, pausedAt)];
        }

        if ((before.PausedAt, after.PausedAt) is ({ } wasPausedAt, null))
        {
            return [WebhookEvent.Of($"{after.Id}|{wasPausedAt:O}", after.WorkspaceId, DeploymentUnpaused, after.Id, after.UpdatedAt)];
        }

        return ArchivedOrUpdated(before.ArchivedAt, after.ArchivedAt, before.UpdatedAt, after.UpdatedAt, after.Id, after.WorkspaceId, DeploymentArchived, DeploymentUpdated);
    }

    private static WebhookEvent OfCredential(string seed, VaultCredential credential, string type, DateTimeOffset at) =>
        WebhookEvent.Of(seed, credential.WorkspaceId, type, credential.Id, at) with { VaultId = credential.VaultId };

    // The archiving event of a change that archived a resource, else an update event when it stamped a new updated_at.
    private static IEnumerable<WebhookEvent> ArchivedOrUpdated(
        DateTimeOffset? archivedBefore, DateTimeOffset? archivedAfter, DateTimeOffset updatedBefore, DateTimeOffset updatedAfter, string id, string workspaceId, string archivedType, string updatedType)
    {
        var archived = IfArchived(archivedBefore, archivedAfter, id, workspaceId, archivedType);
        return archived.Any() || updatedAfter == updatedBefore
            ? archived
            : [WebhookEvent.Of($"{id}|{updatedAfter:O}", workspaceId, updatedType, id, updatedAfter)];
    }
}
