using System.Net;
using Anthropic.Exceptions;
using Anthropic.Models.Beta.Vaults;
using Anthropic.Models.Beta.Vaults.Credentials;
using Lucid.Testing.Mcp;

namespace Lucid.Conformance.Tests;

/// <summary>
/// <c>mcp_oauth_validate</c> through the official SDK against an MCP server and OAuth token endpoint built with the
/// official C# MCP SDK on a loopback port: accepted, refused and refreshed, refused for good, unreachable.
/// </summary>
[Collection(ServerTestGroup.Name)]
public sealed class CredentialValidationConformanceTests(LucidServerFixture fixture) : IAsyncLifetime
{
    private const string RefreshToken = "refresh-token-abcdef123456";
    private readonly InProcessMcpServer _mcp = new();

    public Task InitializeAsync() => _mcp.StartAsync();

    public Task DisposeAsync() => _mcp.DisposeAsync().AsTask();

    private async Task<(string VaultId, string CredentialId)> OAuthAsync(string accessToken, bool refresh = true)
    {
        var vault = await fixture.Alpha.Beta.Vaults.Create(new VaultCreateParams { DisplayName = "validated" });
        var credential = await fixture.Alpha.Beta.Vaults.Credentials.Create(vault.ID, new CredentialCreateParams
        {
            Auth = new BetaManagedAgentsMcpOAuthCreateParams
            {
                McpServerUrl = _mcp.Url,
                AccessToken = accessToken,
                Refresh = refresh
                    ? new BetaManagedAgentsMcpOAuthRefreshParams { ClientID = "lucid", RefreshToken = RefreshToken, TokenEndpoint = _mcp.TokenUrl, TokenEndpointAuth = new BetaManagedAgentsTokenEndpointAuthNoneParam() }
                    : null,
            },
        });
        return (vault.ID, credential.ID);
    }

    private Task<BetaManagedAgentsCredentialValidation> ValidateAsync((string VaultId, string CredentialId) credential) =>
        fixture.Alpha.Beta.Vaults.Credentials.McpOAuthValidate(credential.CredentialId, new CredentialMcpOAuthValidateParams { VaultID = credential.VaultId });

    [Fact]
    public async Task A_token_the_server_accepts_is_valid_and_nothing_is_refreshed()
    {
        _mcp.RequiredAuthorization = "Bearer good-access-token-123456";
        var credential = await OAuthAsync("good-access-token-123456");

        var validation = await ValidateAsync(credential);

        validation.Validate();
        Assert.Equal(("valid", credential.CredentialId, credential.VaultId, true), (validation.Status.Raw(), validation.CredentialID, validation.VaultID, validation.HasRefreshToken));
        Assert.Null(validation.McpProbe);
        Assert.Null(validation.Refresh);
        Assert.Contains("Bearer good-access-token-123456", _mcp.Authorizations);
        Assert.Empty(_mcp.TokenRequests);
    }

    [Fact]
    public async Task A_refused_token_is_refreshed_and_stored_unknown_until_validated_again()
    {
        _mcp.RequiredAuthorization = "Bearer fresh-access-token-123456";
        var credential = await OAuthAsync("stale-access-token-123456");

        var first = await ValidateAsync(credential);
        var second = await ValidateAsync(credential);

        first.Validate();
        Assert.Equal("unknown", first.Status.Raw());
        Assert.Equal("initialize", first.McpProbe?.Method);
        Assert.Equal(401, first.McpProbe?.HttpResponse?.StatusCode);
        Assert.Equal("succeeded", first.Refresh?.Status.Raw());
        Assert.Equal($"client_id=lucid&grant_type=refresh_token&refresh_token={RefreshToken}", Assert.Single(_mcp.TokenRequests));
        Assert.Equal("valid", second.Status.Raw());
    }

    [Fact]
    public async Task A_refused_token_whose_refresh_is_refused_is_invalid_with_the_endpoints_answer_scrubbed()
    {
        _mcp.RequiredAuthorization = "Bearer never-this-token-123456";
        _mcp.TokenAnswer = (400, $$"""{"error":"invalid_grant","error_description":"{{RefreshToken}} was revoked"}""");
        var credential = await OAuthAsync("stale-access-token-123456");
        var withoutRefresh = await OAuthAsync("other-stale-token-123456", refresh: false);

        var refused = await ValidateAsync(credential);
        var cannotRefresh = await ValidateAsync(withoutRefresh);

        Assert.Equal(("invalid", "failed", 400), (refused.Status.Raw(), refused.Refresh?.Status.Raw(), refused.Refresh?.HttpResponse?.StatusCode));
        Assert.Contains("invalid_grant", refused.Refresh?.HttpResponse?.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(RefreshToken, refused.Refresh?.HttpResponse?.Body, StringComparison.Ordinal);
        Assert.Equal(("invalid", "no_refresh_token", false), (cannotRefresh.Status.Raw(), cannotRefresh.Refresh?.Status.Raw(), cannotRefresh.HasRefreshToken));
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_unknown_and_other_credentials_are_refused()
    {
        var credential = await OAuthAsync("some-access-token-123456");
        var bearer = await fixture.Alpha.Beta.Vaults.Credentials.Create(credential.VaultId, new CredentialCreateParams
        {
            Auth = new BetaManagedAgentsStaticBearerCreateParams { McpServerUrl = "https://mcp.example.com/mcp", Token = "static-bearer-secret-0123456789" },
        });
        await _mcp.DisposeAsync();

        var unreachable = await ValidateAsync(credential);
        var notOAuth = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => ValidateAsync((credential.VaultId, bearer.ID)));
        var otherWorkspace = await Assert.ThrowsAsync<AnthropicNotFoundException>(() => fixture.Beta.Beta.Vaults.Credentials.McpOAuthValidate(
            credential.CredentialId, new CredentialMcpOAuthValidateParams { VaultID = credential.VaultId }));

        Assert.Equal(("unknown", "initialize"), (unreachable.Status.Raw(), unreachable.McpProbe?.Method));
        Assert.Null(unreachable.McpProbe?.HttpResponse);
        Assert.Null(unreachable.Refresh);
        Assert.Contains("credential_id", notOAuth.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherWorkspace.StatusCode);
    }
}
