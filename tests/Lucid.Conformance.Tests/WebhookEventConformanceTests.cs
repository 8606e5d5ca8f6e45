using System.Net.Http.Json;
using System.Text.Json;
using Anthropic;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Deployments;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Organization.Webhooks;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Anthropic.Models.Beta.Vaults;
using Anthropic.Models.Beta.Vaults.Credentials;
using Anthropic.Models.Beta.Webhooks;
using Lucid.Testing.Mcp;
using Lucid.Testing.Server;
using Lucid.Testing.Webhooks;
using Lucid.Webhooks;

namespace Lucid.Conformance.Tests;

/// <summary>
/// The session status, agent, environment, vault, credential and deployment event types, caused through the SDK and
/// received by a local endpoint that verifies each delivery and parses it with the SDK's <see cref="UnwrapWebhookEvent"/>.
/// </summary>
public sealed class WebhookEventConformanceTests : IAsyncLifetime
{
    private readonly LucidTestServer _server = new();
    private readonly WebhookReceiver _receiver = new();
    private readonly InProcessMcpServer _mcp = new();

    private AnthropicClient Alpha => new(new Anthropic.Core.ClientOptions { ApiKey = _server.AlphaKey, BaseUrl = _server.BaseUrl, MaxRetries = 0, ResponseValidation = true });

    public async Task InitializeAsync()
    {
        await _receiver.StartAsync();
        await _mcp.StartAsync();
        // A loopback receiver needs private addresses allowed.
        await _server.StartAsync(webhooks: new WebhookOptions { AllowPrivateAddresses = true });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _mcp.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private async Task<string> SubscribeAsync(params string[] events)
    {
        using var http = _server.Http(_server.AlphaKey);
        using var response = await http.PostAsJsonAsync("/v1/lucid/webhooks", new { url = _receiver.Url, enabled_events = events });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonSerializer.Deserialize<BetaNewOrganizationWebhookEndpoint>(body)!.SigningSecret;
    }

    // The delivery of the type, verified and parsed by the SDK, with the ID it reports checked.
    private async Task<BetaWebhookEventData> ReceivedAsync(string secret, string type, string id)
    {
        var data = WebhookConformanceTests.Verified(await _receiver.WaitForAsync($"\"type\":\"{type}\""), secret).Data;
        Assert.Equal((type, id), (data.Json.GetProperty("type").GetString(), data.Json.GetProperty("id").GetString()));
        Assert.Equal("alpha", data.Json.GetProperty("workspace_id").GetString());
        return data;
    }

    [Fact]
    public async Task Agent_environment_vault_credential_and_deployment_changes_are_delivered_as_the_SDK_parses_them()
    {
        string[] types =
        [
            "agent.created", "agent.updated", "agent.archived", "environment.created", "environment.updated", "environment.archived", "environment.deleted",
            "deployment.created", "deployment.updated", "deployment.paused", "deployment.unpaused", "deployment.archived",
            "vault.created", "vault.archived", "vault.deleted", "vault_credential.created", "vault_credential.archived", "vault_credential.deleted",
        ];
        var secret = await SubscribeAsync(types);
        var client = Alpha;

        var agent = await client.Beta.Agents.Create(new AgentCreateParams { Name = "notifier", Model = LucidServerFixture.ModelParam });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        var deployment = await client.Beta.Deployments.Create(new DeploymentCreateParams
        {
            Name = "report", Agent = agent.ID, EnvironmentID = environment.ID,
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = "Report." }] }],
        });
        await client.Beta.Deployments.Update(deployment.ID, new DeploymentUpdateParams { Name = "weekly report" });
        await client.Beta.Deployments.Pause(deployment.ID);
        await client.Beta.Deployments.Unpause(deployment.ID);
        await client.Beta.Deployments.Archive(deployment.ID);
        await client.Beta.Agents.Update(agent.ID, new AgentUpdateParams { Version = agent.Version, System = "Be brief." });
        await client.Beta.Agents.Archive(agent.ID);
        await client.Beta.Environments.Update(environment.ID, new EnvironmentUpdateParams { Name = "renamed" });
        await client.Beta.Environments.Archive(environment.ID);
        await client.Beta.Environments.Delete(environment.ID);
        var vault = await client.Beta.Vaults.Create(new VaultCreateParams { DisplayName = "team" });
        var credential = await client.Beta.Vaults.Credentials.Create(vault.ID, new CredentialCreateParams
        {
            Auth = new BetaManagedAgentsStaticBearerCreateParams { McpServerUrl = "https://mcp.example.com/mcp", Token = "bearer-secret-0123456789" },
        });
        await client.Beta.Vaults.Credentials.Archive(credential.ID, new CredentialArchiveParams { VaultID = vault.ID });
        await client.Beta.Vaults.Credentials.Delete(credential.ID, new CredentialDeleteParams { VaultID = vault.ID });
        await client.Beta.Vaults.Archive(vault.ID);
        await client.Beta.Vaults.Delete(vault.ID);

        foreach (var type in types)
        {
            var id = type.Split('.')[0] switch
            {
                "agent" => agent.ID,
                "environment" => environment.ID,
                "deployment" => deployment.ID,
                "vault" => vault.ID,
                _ => credential.ID,
            };
            await ReceivedAsync(secret, type, id);
        }

        Assert.True((await ReceivedAsync(secret, "agent.updated", agent.ID)).TryPickAgentUpdated(out _));
        Assert.True((await ReceivedAsync(secret, "deployment.paused", deployment.ID)).TryPickDeploymentPaused(out _));
        Assert.True((await ReceivedAsync(secret, "environment.deleted", environment.ID)).TryPickEnvironmentDeleted(out _));
        Assert.True((await ReceivedAsync(secret, "vault_credential.deleted", credential.ID)).TryPickVaultCredentialDeleted(out var deleted));
        Assert.Equal(vault.ID, deleted.VaultID);
        Assert.Equal(types.Length, _receiver.Received.Count);
    }

    [Fact]
    public async Task A_session_waiting_for_a_tool_confirmation_sends_running_idled_and_requires_action()
    {
        var secret = await SubscribeAsync("session.running", "session.idled", "session.requires_action", "session.pending");
        _server.Upstream.ReplyToolUse("bash", new { command = "echo hi" });
        var client = Alpha;
        var agent = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "asker",
            Model = LucidServerFixture.ModelParam,
            Tools =
            [
                new BetaManagedAgentsAgentToolset20260401Params
                {
                    DefaultConfig = new BetaManagedAgentsAgentToolsetDefaultConfigParams { PermissionPolicy = new BetaManagedAgentsAlwaysAskPolicy() },
                },
            ],
        });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        var session = await client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = "Say hi." }] }],
        });

        Assert.True((await ReceivedAsync(secret, "session.running", session.ID)).TryPickSessionRunning(out _));
        Assert.True((await ReceivedAsync(secret, "session.idled", session.ID)).TryPickSessionIdled(out _));
        Assert.True((await ReceivedAsync(secret, "session.requires_action", session.ID)).TryPickSessionRequiresAction(out var waiting));
        Assert.Equal(session.ID, waiting.ID);
        Assert.DoesNotContain(_receiver.Received, d => d.Body.Contains("session.pending", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_oauth_refresh_the_token_endpoint_refuses_sends_refresh_failed_with_the_vault()
    {
        var secret = await SubscribeAsync("vault_credential.refresh_failed");
        _mcp.TokenAnswer = (400, """{"error":"invalid_grant","error_description":"refresh token revoked"}""");
        _server.Upstream.ReplyText("I could not use the server.");
        var client = Alpha;
        var vault = await client.Beta.Vaults.Create(new VaultCreateParams { DisplayName = "oauth" });
        var credential = await client.Beta.Vaults.Credentials.Create(vault.ID, new CredentialCreateParams
        {
            Auth = new BetaManagedAgentsMcpOAuthCreateParams
            {
                McpServerUrl = _mcp.Url,
                AccessToken = "stale-access-token-123456",
                ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(30),
                Refresh = new BetaManagedAgentsMcpOAuthRefreshParams
                {
                    ClientID = "lucid", RefreshToken = "revoked-refresh-123456", TokenEndpoint = _mcp.TokenUrl, TokenEndpointAuth = new BetaManagedAgentsTokenEndpointAuthNoneParam(),
                },
            },
        });
        var agent = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "vault-user",
            Model = LucidServerFixture.ModelParam,
            McpServers = [new BetaManagedAgentsUrlMcpServerParams { Name = "local", Url = _mcp.Url }],
            Tools = [new BetaManagedAgentsMcpToolsetParams { McpServerName = "local" }],
        });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        await client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            VaultIds = [vault.ID],
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = "Go." }] }],
        });

        Assert.True((await ReceivedAsync(secret, "vault_credential.refresh_failed", credential.ID)).TryPickVaultCredentialRefreshFailed(out var failed));
        Assert.Equal(vault.ID, failed.VaultID);
    }
}
