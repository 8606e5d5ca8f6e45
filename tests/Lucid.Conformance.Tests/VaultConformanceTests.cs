using System.Net;
using System.Text.Json;
using Anthropic.Exceptions;
using Anthropic.Models.Beta.Vaults;
using Anthropic.Models.Beta.Vaults.Credentials;

namespace Lucid.Conformance.Tests;

/// <summary>Vaults and their credentials through the official SDK: CRUD, secrets never answered, tenancy, bad input.</summary>
[Collection(ServerTestGroup.Name)]
public sealed class VaultConformanceTests(LucidServerFixture fixture)
{
    private const string Token = "static-bearer-secret-0123456789";

    private static string Raw(object model) => model switch
    {
        BetaManagedAgentsVault v => JsonSerializer.Serialize(v.RawData),
        BetaManagedAgentsCredential c => JsonSerializer.Serialize(c.RawData),
        _ => throw new ArgumentException(model.GetType().Name),
    };

    private static async Task<BetaManagedAgentsCredential> BearerAsync(Anthropic.AnthropicClient client, string vaultId, string token = Token, string url = "https://mcp.example.com/mcp") =>
        await client.Beta.Vaults.Credentials.Create(vaultId, new CredentialCreateParams
        {
            DisplayName = "example",
            Auth = new BetaManagedAgentsStaticBearerCreateParams { McpServerUrl = url, Token = token },
        });

    [Fact]
    public async Task Vaults_and_credentials_are_created_read_updated_archived_and_deleted_and_no_answer_holds_a_secret()
    {
        var vaults = fixture.Alpha.Beta.Vaults;
        var vault = await vaults.Create(new VaultCreateParams { DisplayName = "team", Metadata = new Dictionary<string, string> { ["owner"] = "ops" } });
        var created = await BearerAsync(fixture.Alpha, vault.ID);
        var renamed = await vaults.Update(vault.ID, new VaultUpdateParams { DisplayName = "team secrets" });
        var rotated = await vaults.Credentials.Update(created.ID, new CredentialUpdateParams { VaultID = vault.ID, Auth = new BetaManagedAgentsStaticBearerUpdateParams { Token = "rotated-secret-9876543210" } });
        var read = await vaults.Credentials.Retrieve(created.ID, new CredentialRetrieveParams { VaultID = vault.ID });
        var listed = await vaults.Credentials.List(vault.ID, new CredentialListParams());
        var archived = await vaults.Credentials.Archive(created.ID, new CredentialArchiveParams { VaultID = vault.ID });

        vault.Validate();
        created.Validate();
        Assert.StartsWith("vlt_", vault.ID, StringComparison.Ordinal);
        Assert.StartsWith("vcrd_", created.ID, StringComparison.Ordinal);
        Assert.Equal("team secrets", renamed.DisplayName);
        Assert.Equal("ops", renamed.Metadata["owner"]);
        Assert.Equal(vault.ID, read.VaultID);
        Assert.Equal("https://mcp.example.com/mcp", JsonSerializer.SerializeToElement(read.RawData).GetProperty("auth").GetProperty("mcp_server_url").GetString());
        Assert.Equal([created.ID], listed.Items.Select(c => c.ID));
        Assert.NotNull(archived.ArchivedAt);
        Assert.Empty((await vaults.Credentials.List(vault.ID, new CredentialListParams())).Items);
        object[] answers = [created, rotated, read, archived, .. listed.Items];
        foreach (var answer in answers)
        {
            Assert.DoesNotContain(Token, Raw(answer), StringComparison.Ordinal);
            Assert.DoesNotContain("rotated-secret", Raw(answer), StringComparison.Ordinal);
            Assert.DoesNotContain("\"token\"", Raw(answer), StringComparison.Ordinal);
        }

        var deleted = await vaults.Credentials.Delete(created.ID, new CredentialDeleteParams { VaultID = vault.ID });
        Assert.Equal(created.ID, deleted.ID);
        await vaults.Archive(vault.ID);
        Assert.DoesNotContain(vault.ID, (await vaults.List()).Items.Select(v => v.ID));
        Assert.Contains(vault.ID, (await vaults.List(new VaultListParams { IncludeArchived = true })).Items.Select(v => v.ID));
        Assert.Equal(vault.ID, (await vaults.Delete(vault.ID)).ID);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAnyAsync<AnthropicApiException>(() => vaults.Retrieve(vault.ID))).StatusCode);
    }

    [Fact]
    public async Task Every_credential_kind_answers_its_public_fields_only()
    {
        var vaults = fixture.Alpha.Beta.Vaults;
        var vault = await vaults.Create(new VaultCreateParams { DisplayName = "kinds" });
        var oauth = await vaults.Credentials.Create(vault.ID, new CredentialCreateParams
        {
            Auth = new BetaManagedAgentsMcpOAuthCreateParams
            {
                McpServerUrl = "https://mcp.example.com/mcp",
                AccessToken = "oauth-access-secret-123456",
                ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
                Refresh = new BetaManagedAgentsMcpOAuthRefreshParams
                {
                    ClientID = "lucid-client",
                    RefreshToken = "oauth-refresh-secret-123456",
                    TokenEndpoint = "https://auth.example.com/token",
                    TokenEndpointAuth = new BetaManagedAgentsTokenEndpointAuthPostParam { ClientSecret = "oauth-client-secret-123456" },
                    Scope = "tools",
                },
            },
        });
        var variable = await vaults.Credentials.Create(vault.ID, new CredentialCreateParams
        {
            Auth = new BetaManagedAgentsEnvironmentVariableCreateParams
            {
                SecretName = "API_TOKEN",
                SecretValue = "env-secret-value-123456",
                Networking = new BetaManagedAgentsLimitedCredentialNetworkingParams { AllowedHosts = ["api.example.com", "*.example.org"] },
            },
        });

        oauth.Validate();
        variable.Validate();
        var oauthAuth = JsonSerializer.SerializeToElement(oauth.RawData).GetProperty("auth");
        Assert.Equal("client_secret_post", oauthAuth.GetProperty("refresh").GetProperty("token_endpoint_auth").GetProperty("type").GetString());
        Assert.Equal("lucid-client", oauthAuth.GetProperty("refresh").GetProperty("client_id").GetString());
        var variableAuth = JsonSerializer.SerializeToElement(variable.RawData).GetProperty("auth");
        Assert.Equal("API_TOKEN", variableAuth.GetProperty("secret_name").GetString());
        Assert.Equal(["api.example.com", "*.example.org"], variableAuth.GetProperty("networking").GetProperty("allowed_hosts").EnumerateArray().Select(h => h.GetString()));
        var all = string.Join("\n", (await vaults.Credentials.List(vault.ID, new CredentialListParams())).Items.Select(Raw));
        foreach (var secret in new[] { "oauth-access-secret", "oauth-refresh-secret", "oauth-client-secret", "env-secret-value" })
        {
            Assert.DoesNotContain(secret, all, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Another_workspace_finds_neither_the_vault_nor_its_credentials_nor_can_a_session_name_it()
    {
        var vault = await fixture.Alpha.Beta.Vaults.Create(new VaultCreateParams { DisplayName = "alpha only" });
        var credential = await BearerAsync(fixture.Alpha, vault.ID);
        var beta = fixture.Beta.Beta;

        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAnyAsync<AnthropicApiException>(() => beta.Vaults.Retrieve(vault.ID))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAnyAsync<AnthropicApiException>(() => beta.Vaults.Credentials.Retrieve(credential.ID, new CredentialRetrieveParams { VaultID = vault.ID }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAnyAsync<AnthropicApiException>(() => beta.Vaults.Credentials.List(vault.ID, new CredentialListParams()))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAnyAsync<AnthropicApiException>(() => beta.Vaults.Delete(vault.ID))).StatusCode);
        Assert.DoesNotContain(vault.ID, (await beta.Vaults.List()).Items.Select(v => v.ID));
        using var http = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };
        http.DefaultRequestHeaders.Add("x-api-key", fixture.BetaKey);
        var agent = await fixture.Beta.Beta.Agents.Create(new Anthropic.Models.Beta.Agents.AgentCreateParams { Name = "b", Model = LucidServerFixture.ModelParam });
        var environment = await fixture.Beta.Beta.Environments.Create(new Anthropic.Models.Beta.Environments.EnvironmentCreateParams { Name = "b" });
        var session = await http.PostAsync("/v1/sessions", Json(new { agent = agent.ID, environment_id = environment.ID, vault_ids = new[] { vault.ID } }));
        Assert.Equal(HttpStatusCode.NotFound, session.StatusCode);
        Assert.NotNull(await fixture.Alpha.Beta.Vaults.Credentials.Retrieve(credential.ID, new CredentialRetrieveParams { VaultID = vault.ID }));
    }

    [Theory]
    [InlineData("""{"auth":{"type":"static_bearer","mcp_server_url":"not a url","token":"t"}}""", "auth.mcp_server_url")]
    [InlineData("""{"auth":{"type":"static_bearer","mcp_server_url":"https://mcp.example.com"}}""", "auth.token")]
    [InlineData("""{"auth":{"type":"environment_variable","secret_name":"1BAD","secret_value":"v","networking":{"type":"unrestricted"}}}""", "auth.secret_name")]
    [InlineData("""{"auth":{"type":"environment_variable","secret_name":"PATH","secret_value":"v","networking":{"type":"unrestricted"}}}""", "auth.secret_name")]
    [InlineData("""{"auth":{"type":"environment_variable","secret_name":"OK","secret_value":"v","networking":{"type":"limited","allowed_hosts":["https://x.example.com/"]}}}""", "auth.networking.allowed_hosts[0]")]
    [InlineData("""{"auth":{"type":"mcp_oauth","mcp_server_url":"https://mcp.example.com","access_token":"a","expires_at":"2001-01-01T00:00:00Z"}}""", "auth.expires_at")]
    [InlineData("""{"auth":{"type":"mcp_oauth","mcp_server_url":"https://mcp.example.com","access_token":"a","refresh":{"client_id":"c","token_endpoint":"https://a.example.com/t"}}}""", "auth.refresh.refresh_token")]
    [InlineData("""{"auth":{"type":"password"}}""", "auth.type")]
    public async Task Bad_credential_input_is_a_400_naming_the_field_and_stores_nothing(string body, string field)
    {
        var vault = await fixture.Alpha.Beta.Vaults.Create(new VaultCreateParams { DisplayName = "bad input" });
        using var http = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };
        http.DefaultRequestHeaders.Add("x-api-key", fixture.AlphaKey);

        var answer = await http.PostAsync($"/v1/vaults/{vault.ID}/credentials", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains(field, await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty((await fixture.Alpha.Beta.Vaults.Credentials.List(vault.ID, new CredentialListParams { IncludeArchived = true })).Items);
    }

    [Fact]
    public async Task A_second_credential_for_the_same_server_in_a_vault_is_a_conflict()
    {
        var vault = await fixture.Alpha.Beta.Vaults.Create(new VaultCreateParams { DisplayName = "one per server" });
        await BearerAsync(fixture.Alpha, vault.ID);

        var conflict = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => BearerAsync(fixture.Alpha, vault.ID, url: "https://MCP.example.com/mcp/"));

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
