using System.Text.Json;
using Anthropic.Models.Beta.Webhooks;
using Lucid.Agents;
using Lucid.Deployments;
using Lucid.Environments;
using Lucid.Events;
using Lucid.Storage;
using Lucid.Vaults;
using Lucid.Webhooks;
using static Lucid.Webhooks.WebhookEventTypes;

namespace Lucid.Testing.Storage;

/// <summary>
/// Each family of event types, recorded by the store change that causes it and read back as the SDK's
/// <see cref="UnwrapWebhookEvent"/> reads a delivery (parsed, <c>Validate()</c> passing).
/// </summary>
public abstract partial class WebhookContractTests
{
    // The endpoint's deliveries in the order they were recorded, each parsed by the SDK: its data's type and ID.
    private static async Task<List<(string Type, string Id)>> ParsedAsync(ILucidStore store, string endpointId) =>
        [.. (await DeliveriesAsync(store, endpointId)).OrderBy(d => d.Number).Select(d => Parse(d.Event)).Select(data =>
            (data.Json.GetProperty("type").GetString()!, data.Json.GetProperty("id").GetString()!))];

    private static BetaWebhookEventData Parse(WebhookEvent e)
    {
        var parsed = JsonSerializer.Deserialize<UnwrapWebhookEvent>(e.Payload())!;
        parsed.Validate();
        Assert.Equal(e.Id, parsed.ID);
        return parsed.Data;
    }

    [Fact]
    public async Task A_session_status_change_sends_its_transition_type_and_a_repeated_status_sends_none()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateWebhookEndpointAsync(Endpoint("whep_a", events: [SessionPending, SessionRunning, SessionBecameIdle, SessionRequiresAction]), None);
        SessionEvent Running(string id) => new SessionStatusRunningEvent { Id = id, ProcessedAt = T0 };

        await store.CreateSessionAsync(NewSession("sesn_1"), [Running("sevt_r1")], None);
        await store.AppendAsync("sesn_1", [Idle("sevt_i1", StopReason.RequiresAction(["sevt_tool"]))], None);
        await store.AppendAsync("sesn_1", [Running("sevt_r2"), new SessionStatusRescheduledEvent { Id = "sevt_p1", ProcessedAt = T0 }], None);
        await store.AppendAsync("sesn_1", [Running("sevt_r3"), Idle("sevt_i2"), Idle("sevt_i3")], None);
        await store.AppendAsync("sesn_1", [new SessionStatusTerminatedEvent { Id = "sevt_t1", ProcessedAt = T0 }], None);

        Assert.Equal(
            [(SessionRunning, "sesn_1"), (SessionBecameIdle, "sesn_1"), (SessionRequiresAction, "sesn_1"), (SessionRunning, "sesn_1"), (SessionPending, "sesn_1"),
             (SessionRunning, "sesn_1"), (SessionBecameIdle, "sesn_1")],
            await ParsedAsync(store, "whep_a"));
    }

    [Fact]
    public async Task Agents_report_creation_new_versions_and_archiving()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateWebhookEndpointAsync(Endpoint("whep_a", events: [AgentCreated, AgentUpdated, AgentArchived, AgentDeleted]), None);
        var agent = new Agent { Id = "agent_1", WorkspaceId = "team", Version = 1, Name = "a", Model = "m", CreatedAt = T0, UpdatedAt = T0 };
        await store.CreateAgentAsync(agent, None);
        Assert.False(await store.AddAgentVersionAsync(agent with { Version = 3 }, None));
        Assert.True(await store.AddAgentVersionAsync(agent with { Version = 2, UpdatedAt = T0.AddMinutes(1) }, None));
        Assert.True(await store.ArchiveAgentAsync("agent_1", T0.AddHours(1), None));
        Assert.True(await store.ArchiveAgentAsync("agent_1", T0.AddHours(2), None));

        Assert.Equal([(AgentCreated, "agent_1"), (AgentUpdated, "agent_1"), (AgentArchived, "agent_1")], await ParsedAsync(store, "whep_a"));
    }

    [Fact]
    public async Task Environments_report_creation_updates_archiving_and_deletion()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateWebhookEndpointAsync(Endpoint("whep_a", events: [EnvironmentCreated, EnvironmentUpdated, EnvironmentArchived, EnvironmentDeleted]), None);
        var environment = new AgentEnvironment { Id = "env_1", WorkspaceId = "team", Name = "e", CreatedAt = T0, UpdatedAt = T0 };
        await store.CreateEnvironmentAsync(environment, None);
        await store.UpdateEnvironmentAsync(environment with { Name = "renamed", UpdatedAt = T0.AddMinutes(1) }, None);
        await store.UpdateEnvironmentAsync(environment with { Name = "renamed", UpdatedAt = T0.AddMinutes(1) }, None);
        await store.UpdateEnvironmentAsync(environment with { ArchivedAt = T0.AddHours(1), UpdatedAt = T0.AddHours(1) }, None);
        Assert.Equal(EnvironmentDeletion.Deleted, await store.DeleteEnvironmentAsync("env_1", None));
        Assert.Equal(EnvironmentDeletion.NotFound, await store.DeleteEnvironmentAsync("env_1", None));

        Assert.Equal(
            [(EnvironmentCreated, "env_1"), (EnvironmentUpdated, "env_1"), (EnvironmentArchived, "env_1"), (EnvironmentDeleted, "env_1")],
            await ParsedAsync(store, "whep_a"));
    }

    [Fact]
    public async Task Vaults_and_credentials_report_creation_archiving_deletion_and_failed_refreshes_with_the_vault_ID()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateWebhookEndpointAsync(Endpoint("whep_a", events:
            [VaultCreated, VaultArchived, VaultDeleted, CredentialCreated, CredentialArchived, CredentialDeleted, CredentialRefreshFailed]), None);
        var vault = new Vault { Id = "vlt_1", WorkspaceId = "team", DisplayName = "v", CreatedAt = T0, UpdatedAt = T0 };
        var credential = new VaultCredential
        {
            Id = "vcrd_1", VaultId = "vlt_1", WorkspaceId = "team", Auth = new StaticBearerAuth { ServerUrl = "https://mcp.example.com/mcp" },
            SealedSecrets = "sealed", CreatedAt = T0, UpdatedAt = T0,
        };
        await store.CreateVaultAsync(vault, None);
        await store.UpdateVaultAsync(vault with { DisplayName = "renamed", UpdatedAt = T0.AddMinutes(1) }, None);
        await store.CreateCredentialAsync(credential, None);
        await store.RecordRefreshFailureAsync(credential, T0.AddMinutes(2), None);
        await store.UpdateCredentialAsync(credential with { ArchivedAt = T0.AddMinutes(3), UpdatedAt = T0.AddMinutes(3) }, None);
        Assert.True(await store.DeleteCredentialAsync("vcrd_1", None));
        await store.CreateCredentialAsync(credential with { Id = "vcrd_2" }, None);
        await store.UpdateVaultAsync(vault with { ArchivedAt = T0.AddHours(1), UpdatedAt = T0.AddHours(1) }, None);
        Assert.True(await store.DeleteVaultAsync("vlt_1", None));
        Assert.False(await store.DeleteVaultAsync("vlt_1", None));

        Assert.Equal(
            [(VaultCreated, "vlt_1"), (CredentialCreated, "vcrd_1"), (CredentialRefreshFailed, "vcrd_1"), (CredentialArchived, "vcrd_1"), (CredentialDeleted, "vcrd_1"),
             (CredentialCreated, "vcrd_2"), (VaultArchived, "vlt_1"), (VaultDeleted, "vlt_1")],
            await ParsedAsync(store, "whep_a"));
        var refreshFailed = (await DeliveriesAsync(store, "whep_a")).Single(d => d.Event.Type == CredentialRefreshFailed).Event;
        Assert.True(Parse(refreshFailed).TryPickVaultCredentialRefreshFailed(out var failed));
        Assert.Equal(("vcrd_1", "vlt_1", "team"), (failed.ID, failed.VaultID, failed.WorkspaceID));
    }

    [Fact]
    public async Task Deployments_report_creation_updates_pausing_unpausing_and_archiving()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateWebhookEndpointAsync(Endpoint("whep_a", events:
            [DeploymentCreated, DeploymentUpdated, DeploymentPaused, DeploymentUnpaused, DeploymentArchived, DeploymentDeleted]), None);
        var deployment = new Deployment
        {
            Id = "depl_1", WorkspaceId = "team", Name = "d", AgentId = "agent_1", AgentVersion = 1, EnvironmentId = "env_1",
            InitialEvents = [new UserMessageEvent { Content = [new TextBlock("go")] }], CreatedAt = T0, UpdatedAt = T0,
        };
        await store.CreateDeploymentAsync(deployment, None);
        await store.UpdateDeploymentAsync(deployment with { Name = "renamed", UpdatedAt = T0.AddMinutes(1) }, None);
        var paused = deployment with { PausedAt = T0.AddMinutes(2), UpdatedAt = T0.AddMinutes(2) };
        await store.UpdateDeploymentAsync(paused, None);
        await store.UpdateDeploymentAsync(paused, None);
        await store.UpdateDeploymentAsync(deployment with { UpdatedAt = T0.AddMinutes(3) }, None);
        await store.UpdateDeploymentAsync(deployment with { ArchivedAt = T0.AddHours(1), UpdatedAt = T0.AddHours(1) }, None);

        Assert.Equal(
            [(DeploymentCreated, "depl_1"), (DeploymentUpdated, "depl_1"), (DeploymentPaused, "depl_1"), (DeploymentUnpaused, "depl_1"), (DeploymentArchived, "depl_1")],
            await ParsedAsync(store, "whep_a"));
    }
}
