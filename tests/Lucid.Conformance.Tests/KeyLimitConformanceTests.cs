using System.Net;
using System.Text.Json;
using Anthropic.Exceptions;
using Lucid.Auth;
using Lucid.Server;
using Lucid.Storage.Sqlite;
using Lucid.Testing.Server;

namespace Lucid.Conformance.Tests;

/// <summary>Per-key limits against abuse, on a server of its own: a small rate limit, and revoked keys.</summary>
public sealed class KeyLimitConformanceTests : IAsyncLifetime
{
    // Three requests per key and no refill within any test's lifetime, so nothing depends on how fast the test runs.
    private const int Burst = 3;
    private readonly LucidTestServer _server = new();

    public Task InitializeAsync() =>
        _server.StartAsync(rateLimit: new ApiRateLimit { Burst = Burst, RequestsPerPeriod = 1, Period = TimeSpan.FromHours(1) });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_key_over_its_rate_limit_gets_429_in_the_api_error_shape_with_retry_after_and_other_keys_go_on()
    {
        using var alpha = _server.Http(_server.AlphaKey);
        using var beta = _server.Http(_server.BetaKey);
        for (var i = 0; i < Burst; i++)
        {
            using var allowed = await alpha.GetAsync("/v1/agents");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await alpha.GetAsync("/v1/agents");
        using var other = await beta.GetAsync("/v1/agents");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromHours(1), limited.Headers.RetryAfter?.Delta);
        using var body = JsonDocument.Parse(await limited.Content.ReadAsStringAsync());
        Assert.Equal("error", body.RootElement.GetProperty("type").GetString());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Equal("This API key has made too many requests: it may make 3 at once and 1 more every 3600 s. Retry after 3600 s.", error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task The_official_sdk_surfaces_the_429_as_its_rate_limit_exception()
    {
        var client = new Anthropic.AnthropicClient(new Anthropic.Core.ClientOptions { ApiKey = _server.AlphaKey, BaseUrl = _server.BaseUrl, MaxRetries = 0 });
        for (var i = 0; i < Burst; i++)
        {
            await client.Beta.Agents.List();
        }

        var limited = await Assert.ThrowsAsync<AnthropicRateLimitException>(() => client.Beta.Agents.List());

        Assert.Contains("too many requests", limited.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_without_a_valid_key_are_401_and_use_no_key_s_budget()
    {
        using var anonymous = _server.Http(null);
        using var alpha = _server.Http(_server.AlphaKey);
        for (var i = 0; i < Burst + 2; i++)
        {
            using var refused = await anonymous.GetAsync("/v1/agents");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var allowed = await alpha.GetAsync("/v1/agents");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task A_key_revoked_by_another_process_is_refused_with_401()
    {
        string secret;
        await using (var cli = await SqliteStore.OpenAsync(_server.DatabasePath, CancellationToken.None))
        {
            var keys = new ApiKeyService(cli);
            var created = (await keys.CreateAsync("alpha", "leaked", CancellationToken.None)).Value;
            await keys.RevokeAsync(created.Key.Id, CancellationToken.None);
            secret = created.Secret;
        }

        using var http = _server.Http(secret);
        using var refused = await http.GetAsync("/v1/agents");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("authentication_error", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => new Anthropic.AnthropicClient(new Anthropic.Core.ClientOptions { ApiKey = secret, BaseUrl = _server.BaseUrl, MaxRetries = 0 }).Beta.Agents.List());
    }
}
