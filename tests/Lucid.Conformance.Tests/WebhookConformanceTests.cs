using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Organization.Webhooks;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Anthropic.Models.Beta.Webhooks;
using Lucid.Testing.Server;
using Lucid.Testing.Webhooks;
using Lucid.Webhooks;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace Lucid.Conformance.Tests;

/// <summary>
/// Workspace webhook endpoints (a Lucid extension in the SDK's organization webhook shapes) against a local receiver that
/// verifies every delivery with the StandardWebhooks library and parses it with the SDK's <see cref="UnwrapWebhookEvent"/>.
/// </summary>
public sealed class WebhookConformanceTests : IAsyncLifetime
{
    private readonly LucidTestServer _server = new();
    private readonly WebhookReceiver _receiver = new();

    private AnthropicClient Alpha => new(new Anthropic.Core.ClientOptions { ApiKey = _server.AlphaKey, BaseUrl = _server.BaseUrl, MaxRetries = 0, ResponseValidation = true });

    public async Task InitializeAsync()
    {
        await _receiver.StartAsync();
        // Loopback receivers need private addresses allowed; short retry waits keep the retry test quick.
        await _server.StartAsync(webhooks: new WebhookOptions { AllowPrivateAddresses = true, RetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)] });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private async Task<BetaNewOrganizationWebhookEndpoint> CreateEndpointAsync(HttpClient http, params string[] events)
    {
        using var response = await http.PostAsJsonAsync("/v1/lucid/webhooks", new { url = _receiver.Url, name = "ops", enabled_events = events });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var endpoint = JsonSerializer.Deserialize<BetaNewOrganizationWebhookEndpoint>(body)!;
        Assert.StartsWith("whsec_", endpoint.SigningSecret, StringComparison.Ordinal);
        CheckShape(JsonSerializer.Deserialize<BetaOrganizationWebhookEndpoint>(body)!, events);
        return endpoint;
    }

    // Every field of the SDK's endpoint type, read through the SDK. Validate() as a whole would refuse enabled_events:
    // the SDK's enum holds only organization-level types, and workspace endpoints take the managed-agents event types.
    private static void CheckShape(BetaOrganizationWebhookEndpoint endpoint, string[] events)
    {
        Assert.StartsWith("whep_", endpoint.ID, StringComparison.Ordinal);
        Assert.NotEqual(default, endpoint.CreatedAt);
        Assert.NotEqual(default, endpoint.UpdatedAt);
        _ = (endpoint.Name, endpoint.Description, endpoint.DisabledReason, endpoint.Url);
        endpoint.State.Validate();
        Assert.Equal(events, endpoint.EnabledEvents.Select(e => e.Raw()));
    }

    private async Task<string> RunSessionAsync(string reply)
    {
        _server.Upstream.ReplyText(reply);
        var agent = await Alpha.Beta.Agents.Create(new AgentCreateParams { Name = "notifier", Model = LucidServerFixture.ModelParam });
        var environment = await Alpha.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        var session = await Alpha.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = "Go." }] }],
        });
        return session.ID;
    }

    /// <summary>A delivery verified with the StandardWebhooks library and parsed (and validated) by the SDK.</summary>
    internal static UnwrapWebhookEvent Verified(WebhookReceiver.Delivery delivery, string secret)
    {
        var headers = new HeaderDictionary();
        foreach (var (name, value) in delivery.Headers)
        {
            headers[name] = value;
        }

        new StandardWebhook(secret).Verify(delivery.Body, headers);
        var parsed = JsonSerializer.Deserialize<UnwrapWebhookEvent>(delivery.Body)!;
        parsed.Validate();
        Assert.Equal(parsed.ID, delivery.Headers["webhook-id"]);
        return parsed;
    }

    [Fact]
    public async Task A_session_going_idle_is_delivered_signed_and_parses_with_both_SDKs()
    {
        using var http = _server.Http(_server.AlphaKey);
        var endpoint = await CreateEndpointAsync(http, "session.created", "session.status_idled");
        Assert.StartsWith("whsec_", endpoint.SigningSecret, StringComparison.Ordinal);

        var sessionId = await RunSessionAsync("Done.");
        var idled = Verified(await _receiver.WaitForAsync("session.status_idled"), endpoint.SigningSecret);
        var created = Verified(await _receiver.WaitForAsync("session.created"), endpoint.SigningSecret);

        Assert.True(idled.Data.TryPickSessionStatusIdled(out var idle));
        Assert.Equal(sessionId, idle.ID);
        Assert.Equal("alpha", idle.WorkspaceID);
        Assert.True(created.Data.TryPickSessionCreated(out var made));
        Assert.Equal(sessionId, made.ID);
        // Only the subscribed types: the run start is not delivered.
        Assert.DoesNotContain(_receiver.Received, d => d.Body.Contains("session.status_run_started", StringComparison.Ordinal));

        var delivery = await _receiver.WaitForAsync("session.status_idled");
        var unwrapped = await TypeScriptUnwrap.RunAsync(delivery, endpoint.SigningSecret);
        Assert.Equal("event", unwrapped.GetProperty("type").GetString());
        Assert.Equal("session.status_idled", unwrapped.GetProperty("data_type").GetString());
        Assert.Equal(sessionId, unwrapped.GetProperty("data_id").GetString());
        // A wrong secret is refused by both.
        var wrong = "whsec_" + Convert.ToBase64String(new byte[32]);
        Assert.ThrowsAny<Exception>(() => Verified(delivery, wrong));
        await Assert.ThrowsAsync<InvalidOperationException>(() => TypeScriptUnwrap.RunAsync(delivery, wrong));
    }

    [Fact]
    public async Task A_receiver_that_fails_for_a_while_gets_the_event_later_and_the_log_shows_the_attempts()
    {
        using var http = _server.Http(_server.AlphaKey);
        var endpoint = await CreateEndpointAsync(http, "session.status_idled");
        _receiver.FailFirst = 2;

        await RunSessionAsync("Done.");
        var delivery = await _receiver.WaitForAsync("session.status_idled");
        Verified(delivery, endpoint.SigningSecret);
        Assert.Equal(3, _receiver.Requests);

        // The attempt is recorded once the receiver's answer is back: wait for it (bounded).
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        JsonNode entry;
        while ((entry = Assert.Single(JsonNode.Parse(await http.GetStringAsync($"/v1/lucid/webhooks/{endpoint.ID}/deliveries"))!["data"]!.AsArray())!)["state"]!.GetValue<string>() == "pending")
        {
            await Task.Delay(20, deadline.Token);
        }

        Assert.Equal("delivered", entry["state"]!.GetValue<string>());
        Assert.Equal(3, entry["attempts"]!.GetValue<int>());
        Assert.Equal(200, entry["last_status"]!.GetValue<int>());
        Assert.Equal("ok", entry["last_response"]!.GetValue<string>());
        Assert.Equal(delivery.Headers["webhook-id"], entry["event_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Endpoints_are_managed_in_the_SDK_shapes_and_stay_in_their_workspace()
    {
        using var alpha = _server.Http(_server.AlphaKey);
        using var beta = _server.Http(_server.BetaKey);
        var endpoint = await CreateEndpointAsync(alpha, "session.status_idled", "memory_store.created");

        var listed = JsonSerializer.Deserialize<WebhookListPageResponse>(await alpha.GetStringAsync("/v1/lucid/webhooks"))!;
        Assert.False(listed.HasMore);
        Assert.Equal(endpoint.ID, listed.FirstID);
        Assert.Equal(endpoint.ID, Assert.Single(listed.Data).ID);
        Assert.Empty(JsonNode.Parse(await beta.GetStringAsync("/v1/lucid/webhooks"))!["data"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await beta.GetAsync($"/v1/lucid/webhooks/{endpoint.ID}")).StatusCode);

        using var update = await alpha.PostAsJsonAsync($"/v1/lucid/webhooks/{endpoint.ID}", new { state = "disabled", name = "paused", enabled_events = Array.Empty<string>() });
        var updated = JsonSerializer.Deserialize<BetaOrganizationWebhookEndpoint>(await update.Content.ReadAsStringAsync())!;
        CheckShape(updated, ["session.status_idled", "memory_store.created"]); // an empty list leaves the types unchanged
        Assert.Equal("paused", updated.Name);
        Assert.Equal(BetaOrganizationWebhookEndpointState.Disabled, updated.State.Value());

        using var regenerate = await alpha.PostAsync($"/v1/lucid/webhooks/{endpoint.ID}/regenerate_signing_secret", null);
        var secret = JsonSerializer.Deserialize<BetaOrganizationWebhookEndpointSigningSecret>(await regenerate.Content.ReadAsStringAsync())!;
        secret.Validate();
        Assert.NotEqual(endpoint.SigningSecret, secret.SigningSecret);

        using var deleted = await alpha.DeleteAsync($"/v1/lucid/webhooks/{endpoint.ID}");
        JsonSerializer.Deserialize<BetaDeletedOrganizationWebhookEndpoint>(await deleted.Content.ReadAsStringAsync())!.Validate();
        Assert.Equal(HttpStatusCode.NotFound, (await alpha.GetAsync($"/v1/lucid/webhooks/{endpoint.ID}")).StatusCode);
    }

    [Fact]
    public async Task A_disabled_endpoint_gets_nothing_and_bad_input_is_refused()
    {
        using var http = _server.Http(_server.AlphaKey);
        var endpoint = await CreateEndpointAsync(http, "session.status_idled");
        (await http.PostAsJsonAsync($"/v1/lucid/webhooks/{endpoint.ID}", new { state = "disabled" })).EnsureSuccessStatusCode();
        var other = await CreateEndpointAsync(http, "session.status_terminated");

        await RunSessionAsync("Done.");
        await UntilIdleAsync(http);

        Assert.Empty(JsonNode.Parse(await http.GetStringAsync($"/v1/lucid/webhooks/{endpoint.ID}/deliveries"))!["data"]!.AsArray());
        Assert.Empty(JsonNode.Parse(await http.GetStringAsync($"/v1/lucid/webhooks/{other.ID}/deliveries"))!["data"]!.AsArray());
        Assert.Equal(0, _receiver.Requests);
        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { url = _receiver.Url, enabled_events = new[] { "session.nonsense" } }, "enabled_events"),
            (new { url = _receiver.Url, enabled_events = Array.Empty<string>() }, "enabled_events"),
            (new { url = "ftp://example.com/hook", enabled_events = new[] { "session.status_idled" } }, "url"),
        })
        {
            using var refused = await http.PostAsJsonAsync("/v1/lucid/webhooks", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(field, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    private async Task UntilIdleAsync(HttpClient http)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var sessions = JsonNode.Parse(await http.GetStringAsync("/v1/sessions"))!["data"]!.AsArray();
            // Deliveries are recorded in the idle event's own transaction: once idle, the outbox holds all it ever will.
            if (sessions.Count > 0 && sessions.All(s => s!["status"]!.GetValue<string>() == "idle"))
            {
                return;
            }

            await Task.Delay(20, deadline.Token);
        }
    }
}
