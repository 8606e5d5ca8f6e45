using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Anthropic.Models.Beta.Vaults;
using Anthropic.Models.Beta.Vaults.Credentials;
using Lucid.Sandboxing;
using Lucid.Sessions;
using Lucid.Testing.Mcp;
using Lucid.Testing.Server;

namespace Lucid.Conformance.Tests;

/// <summary>
/// Sessions using their vaults' credentials against an MCP server built with the official C# SDK: the header it sees,
/// OAuth refresh at its token endpoint, an environment variable's placeholder in the sandbox swapped for its secret by the
/// egress proxy on the way to an HTTPS API; and the secrets nowhere else.
/// </summary>
public sealed class VaultSessionConformanceTests : IAsyncLifetime
{
    private const string Bearer = "bearer-secret-abcdef0123456789";
    private const string EnvironmentSecret = "env-secret-value-abcdef123456";
    private readonly LucidTestServer _server = new();
    private readonly InProcessMcpServer _mcp = new();
    private readonly HttpsApiServer _api = new(EnvironmentSecret);
    private EgressAuthority? _authority;

    public async Task InitializeAsync()
    {
        await _mcp.StartAsync();
        await _api.StartAsync();

        // The egress proxy verifies the API's certificate against the API's own test CA, as it would a public one.
        _authority = new EgressAuthority(TimeProvider.System, [X509CertificateLoader.LoadCertificate(_api.Authority.RawData)]);
        await _server.StartAsync(engine: new SessionEngineOptions { Sandbox = new SandboxOptions { Authority = _authority } });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _mcp.DisposeAsync();
        await _api.DisposeAsync();
        _authority?.Dispose();
    }

    private AnthropicClient Client => new(new Anthropic.Core.ClientOptions { ApiKey = _server.AlphaKey, BaseUrl = _server.BaseUrl, MaxRetries = 0, ResponseValidation = true });

    private async Task<string> VaultWithAsync(CredentialCreateParams credential)
    {
        var vault = await Client.Beta.Vaults.Create(new VaultCreateParams { DisplayName = "session vault" });
        await Client.Beta.Vaults.Credentials.Create(vault.ID, credential);
        return vault.ID;
    }

    private async Task<string> StartAsync(string vaultId, bool mcp = true, BetaCloudConfigParams? config = null)
    {
        var client = Client;
        var agent = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "vault-user",
            Model = LucidServerFixture.ModelParam,
            McpServers = mcp ? [new BetaManagedAgentsUrlMcpServerParams { Name = "local", Url = _mcp.Url }] : null,
            Tools = mcp
                ? [new BetaManagedAgentsMcpToolsetParams { McpServerName = "local", DefaultConfig = new BetaManagedAgentsMcpToolsetDefaultConfigParams { PermissionPolicy = new BetaManagedAgentsAlwaysAllowPolicy() } }]
                : [new BetaManagedAgentsAgentToolset20260401Params()],
        });
        var environment = await client.Beta.Environments.Create(config is null
            ? new EnvironmentCreateParams { Name = "local" }
            : new EnvironmentCreateParams { Name = "local", Config = config });
        var session = await client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            VaultIds = [vaultId],
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = "Go." }] }],
        });
        Assert.Equal([vaultId], session.VaultIds);
        return session.ID;
    }

    private async Task<List<JsonElement>> UntilIdleAsync(string sessionId) =>
        [.. (await SessionStreams.UntilIdleAsync(Client, sessionId)).Select(e => e.Json)];

    // Everything the API and the store hold of a session: its events, its GET, and the bytes of the SQLite files.
    private async Task<string> EverythingAsync(string sessionId)
    {
        using var http = _server.Http(_server.AlphaKey);
        var text = await http.GetStringAsync($"/v1/sessions/{sessionId}/events?limit=1000") + await http.GetStringAsync($"/v1/sessions/{sessionId}");
        foreach (var file in Directory.GetFiles(_server.DataDirectory, "lucid.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes);
            text += Encoding.Latin1.GetString(bytes.ToArray());
        }

        return text;
    }

    private static JsonElement Single(List<JsonElement> streamed, string type) => Assert.Single(streamed, e => e.GetProperty("type").GetString() == type);

    [Fact]
    public async Task A_static_bearer_credential_is_sent_to_its_mcp_server_and_is_nowhere_in_the_log_the_answers_or_the_database()
    {
        _mcp.RequiredAuthorization = $"Bearer {Bearer}";
        _server.Upstream.ReplyToolUse("mcp__local__echo", new { text = "hi" }).ReplyText("Done.");
        var vault = await VaultWithAsync(new CredentialCreateParams { Auth = new BetaManagedAgentsStaticBearerCreateParams { McpServerUrl = _mcp.Url, Token = Bearer } });

        var session = await StartAsync(vault);
        var streamed = await UntilIdleAsync(session);

        Assert.False(Single(streamed, "agent.mcp_tool_result").GetProperty("is_error").GetBoolean());
        Assert.NotEmpty(_mcp.Authorizations);
        Assert.All(_mcp.Authorizations, a => Assert.Equal($"Bearer {Bearer}", a));
        Assert.DoesNotContain(Bearer, await EverythingAsync(session), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oauth_token_about_to_expire_is_refreshed_at_the_token_endpoint_and_the_new_one_is_sent()
    {
        _mcp.RequiredAuthorization = "Bearer fresh-access-token-123456";
        _server.Upstream.ReplyToolUse("mcp__local__echo", new { text = "hi" }).ReplyText("Done.");
        var vault = await VaultWithAsync(new CredentialCreateParams
        {
            Auth = new BetaManagedAgentsMcpOAuthCreateParams
            {
                McpServerUrl = _mcp.Url,
                AccessToken = "stale-access-token-123456",
                ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(30), // within a minute of expiry: refreshed before use
                Refresh = new BetaManagedAgentsMcpOAuthRefreshParams
                {
                    ClientID = "lucid",
                    RefreshToken = "refresh-token-abcdef123456",
                    TokenEndpoint = _mcp.TokenUrl,
                    TokenEndpointAuth = new BetaManagedAgentsTokenEndpointAuthNoneParam(),
                },
            },
        });

        var session = await StartAsync(vault);
        var streamed = await UntilIdleAsync(session);

        Assert.False(Single(streamed, "agent.mcp_tool_result").GetProperty("is_error").GetBoolean());
        Assert.Equal("client_id=lucid&grant_type=refresh_token&refresh_token=refresh-token-abcdef123456", Assert.Single(_mcp.TokenRequests));
        Assert.DoesNotContain("stale-access-token", _mcp.Authorizations);
        var everything = await EverythingAsync(session);
        Assert.DoesNotContain("fresh-access-token", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("refresh-token-abcdef", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refresh_the_token_endpoint_refuses_is_an_mcp_authentication_failed_error_and_the_turn_goes_on()
    {
        _mcp.TokenAnswer = (400, """{"error":"invalid_grant","error_description":"refresh token revoked"}""");
        _server.Upstream.ReplyText("I could not use the server.");
        var vault = await VaultWithAsync(new CredentialCreateParams
        {
            Auth = new BetaManagedAgentsMcpOAuthCreateParams
            {
                McpServerUrl = _mcp.Url,
                AccessToken = "stale-access-token-123456",
                ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(30),
                Refresh = new BetaManagedAgentsMcpOAuthRefreshParams { ClientID = "lucid", RefreshToken = "revoked-refresh-123456", TokenEndpoint = _mcp.TokenUrl, TokenEndpointAuth = new BetaManagedAgentsTokenEndpointAuthNoneParam() },
            },
        });

        var streamed = await UntilIdleAsync(await StartAsync(vault));

        var error = Single(streamed, "session.error").GetProperty("error");
        Assert.Equal("mcp_authentication_failed_error", error.GetProperty("type").GetString());
        Assert.Equal("local", error.GetProperty("mcp_server_name").GetString());
        Assert.Contains("invalid_grant (refresh token revoked)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_mcp.Authorizations);
        Assert.Equal("end_turn", streamed[^1].GetProperty("stop_reason").GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_environment_variable_credential_holds_a_placeholder_in_the_sandbox_that_the_proxy_swaps_for_the_secret_on_its_host()
    {
        var vault = await VaultWithAsync(new CredentialCreateParams
        {
            Auth = new BetaManagedAgentsEnvironmentVariableCreateParams
            {
                SecretName = "API_TOKEN",
                SecretValue = EnvironmentSecret,
                Networking = new BetaManagedAgentsLimitedCredentialNetworkingParams { AllowedHosts = ["127.0.0.1"] },
            },
        });
        _server.Upstream.ReplyToolUse("bash", new
        {
            command = $"echo \"plain: $API_TOKEN\"; env | grep API_TOKEN; curl -sS -m 20 -H \"Authorization: Bearer $API_TOKEN\" https://127.0.0.1:{_api.Port}/v1/me; "
                + $"curl -sS -k -m 20 -H \"Authorization: Bearer $API_TOKEN\" https://localhost:{_api.Port}/v1/me",
        }).ReplyText("Done.");

        var session = await StartAsync(vault, mcp: false, new BetaCloudConfigParams { Networking = new BetaLimitedNetworkParams { AllowedHosts = ["127.0.0.1", "localhost"] } });
        var streamed = await UntilIdleAsync(session);

        var result = Single(streamed, "agent.tool_result").GetProperty("content")[0].GetProperty("text").GetString() ?? "";
        var credentialId = result[(result.IndexOf("lucid_placeholder_", StringComparison.Ordinal) + "lucid_placeholder_".Length)..].Split('\n')[0];
        Assert.StartsWith("vcrd_", credentialId, StringComparison.Ordinal);
        Assert.Contains($"plain: lucid_placeholder_{credentialId}\nAPI_TOKEN=lucid_placeholder_{credentialId}\nauthorized\nunauthorized\n", result, StringComparison.Ordinal);
        Assert.Equal([$"Bearer {EnvironmentSecret}", $"Bearer lucid_placeholder_{credentialId}"], _api.Authorizations);
        Assert.DoesNotContain(EnvironmentSecret, await EverythingAsync(session), StringComparison.Ordinal);
        Assert.DoesNotContain(EnvironmentSecret, string.Join("\n", _server.Upstream.Requests.Select(r => r.Body)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_an_unrestricted_environment_the_sandbox_still_goes_out_through_the_proxy_that_puts_the_secret_in()
    {
        var vault = await VaultWithAsync(new CredentialCreateParams
        {
            Auth = new BetaManagedAgentsEnvironmentVariableCreateParams
            {
                SecretName = "API_TOKEN",
                SecretValue = EnvironmentSecret,
                Networking = new BetaManagedAgentsLimitedCredentialNetworkingParams { AllowedHosts = ["127.0.0.1"] },
            },
        });
        _server.Upstream.ReplyToolUse("bash", new { command = $"curl -sS -m 20 -H \"Authorization: Bearer $API_TOKEN\" https://127.0.0.1:{_api.Port}/v1/me" }).ReplyText("Done.");

        var session = await StartAsync(vault, mcp: false, new BetaCloudConfigParams { Networking = new BetaUnrestrictedNetwork() });
        var streamed = await UntilIdleAsync(session);

        var result = Single(streamed, "agent.tool_result").GetProperty("content")[0].GetProperty("text").GetString() ?? "";
        Assert.StartsWith("authorized\n", result, StringComparison.Ordinal);
        Assert.Equal([$"Bearer {EnvironmentSecret}"], _api.Authorizations);
    }

    [Fact]
    public async Task A_credential_host_the_environment_does_not_permit_is_a_credential_host_unreachable_error_and_its_other_hosts_still_get_the_secret()
    {
        var vault = await Client.Beta.Vaults.Create(new VaultCreateParams { DisplayName = "session vault" });
        var credential = await Client.Beta.Vaults.Credentials.Create(vault.ID, new CredentialCreateParams
        {
            Auth = new BetaManagedAgentsEnvironmentVariableCreateParams
            {
                SecretName = "API_TOKEN",
                SecretValue = EnvironmentSecret,
                Networking = new BetaManagedAgentsLimitedCredentialNetworkingParams { AllowedHosts = ["127.0.0.1", "api.example.com"] },
            },
        });
        _server.Upstream.ReplyToolUse("bash", new { command = $"curl -sS -m 20 -H \"Authorization: Bearer $API_TOKEN\" https://127.0.0.1:{_api.Port}/v1/me" }).ReplyText("Done.");

        var session = await StartAsync(vault.ID, mcp: false, new BetaCloudConfigParams { Networking = new BetaLimitedNetworkParams { AllowedHosts = ["127.0.0.1"] } });
        var streamed = await SessionStreams.UntilIdleAsync(Client, session);

        Assert.True(Assert.Single(streamed, e => SessionStreams.TypeOf(e) == "session.error").TryPickSessionErrorEvent(out var error));
        Assert.True(error.Error.TryPickBetaManagedAgentsCredentialHostUnreachable(out var unreachable));
        Assert.Equal((credential.ID, vault.ID), (unreachable.CredentialID, unreachable.VaultID));
        Assert.True(unreachable.RetryStatus.TryPickBetaManagedAgentsRetryStatusTerminal(out _));
        Assert.Contains("allows api.example.com, which the environment's networking does not permit", unreachable.Message, StringComparison.Ordinal);
        var result = Single([.. streamed.Select(e => e.Json)], "agent.tool_result").GetProperty("content")[0].GetProperty("text").GetString() ?? "";
        Assert.StartsWith("authorized\n", result, StringComparison.Ordinal);
        Assert.Equal("end_turn", streamed[^1].Json.GetProperty("stop_reason").GetProperty("type").GetString());
    }
}
