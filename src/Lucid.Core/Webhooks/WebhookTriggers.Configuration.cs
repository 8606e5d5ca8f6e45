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
    public static WebhookEvent OfNewAgent(Agent agent) => OfNew(agent, AgentCreated);

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
        return IfArchived(before.ArchivedAt, archivedAt, before, AgentArchived);
    }

    /// <summary>An environment was created.</summary>
    public static WebhookEvent OfNewEnvironment(AgentEnvironment environment) => OfNew(environment, EnvironmentCreated);

    /// <summary>An environment changed: <c>environment.archived</c> when this change archived it, else <c>environment.updated</c> when it stamped <c>updated_at</c>.</summary>
    public static IEnumerable<WebhookEvent> OfEnvironmentChange(AgentEnvironment before, AgentEnvironment after) =>
        OfChange(before, after, EnvironmentArchived, EnvironmentUpdated);

    /// <summary>An environment was deleted.</summary>
    public static WebhookEvent OfDeletedEnvironment(AgentEnvironment environment, DateTimeOffset at) => OfDeleted(environment, EnvironmentDeleted, at);

    /// <summary>A vault was created.</summary>
    public static WebhookEvent OfNewVault(Vault vault) => OfNew(vault, VaultCreated);

    /// <summary>A vault changed: <c>vault.archived</c> when this change archived it (the SDK has no <c>vault.updated</c>).</summary>
    public static IEnumerable<WebhookEvent> OfVaultChange(Vault before, Vault after) => OfChange(before, after, VaultArchived, updatedType: null);

    /// <summary>A vault was deleted (its credentials go with it, without events of their own).</summary>
    public static WebhookEvent OfDeletedVault(Vault vault, DateTimeOffset at) => OfDeleted(vault, VaultDeleted, at);

    /// <summary>A credential was created.</summary>
    public static WebhookEvent OfNewCredential(VaultCredential credential) => WithVault(OfNew(credential, CredentialCreated), credential);

    /// <summary>A credential changed: <c>vault_credential.archived</c> when this change archived it (the SDK has no <c>vault_credential.updated</c>).</summary>
    public static IEnumerable<WebhookEvent> OfCredentialChange(VaultCredential before, VaultCredential after) =>
        OfChange(before, after, CredentialArchived, updatedType: null).Select(e => WithVault(e, after));

    /// <summary>A credential was deleted.</summary>
    public static WebhookEvent OfDeletedCredential(VaultCredential credential, DateTimeOffset at) => WithVault(OfDeleted(credential, CredentialDeleted, at), credential);

    /// <summary>Refreshing a credential's OAuth access token failed at <paramref name="at"/> (each failure is its own event).</summary>
    public static WebhookEvent OfCredentialRefreshFailure(VaultCredential credential, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return WithVault(WebhookEvent.Of($"{credential.Id}|{at:O}", credential.WorkspaceId, CredentialRefreshFailed, credential.Id, at), credential);
    }

    /// <summary>A deployment was created.</summary>
    public static WebhookEvent OfNewDeployment(Deployment deployment) => OfNew(deployment, DeploymentCreated);

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

        return OfChange(before, after, DeploymentArchived, DeploymentUpdated);
    }

    private static WebhookEvent WithVault(WebhookEvent e, VaultCredential credential) => e with { VaultId = credential.VaultId };
}
