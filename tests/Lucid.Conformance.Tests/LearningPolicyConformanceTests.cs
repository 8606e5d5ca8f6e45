using System.Net;
using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.MemoryStores;
using Anthropic.Models.Beta.MemoryStores.Memories;
using Lucid.Testing.Models;
using Lucid.Testing.Server;
using Microsoft.Extensions.Time.Testing;

namespace Lucid.Conformance.Tests;

/// <summary>
/// Learning policies (a Lucid extension, raw HTTP) on a server whose clock is a <see cref="FakeTimeProvider"/>: a
/// deployment's graded sessions are dreamed over into the store its sessions mount, and nothing is written before review.
/// </summary>
public sealed class LearningPolicyConformanceTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 14, 0, 0, TimeSpan.Zero));
    private readonly LucidTestServer _server = new();

    private AnthropicClient Alpha => new(new Anthropic.Core.ClientOptions { ApiKey = _server.AlphaKey, BaseUrl = _server.BaseUrl, MaxRetries = 0, ResponseValidation = true });

    public Task InitializeAsync() => _server.StartAsync(time: _time);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body = null, string? key = null)
    {
        using var http = _server.Http(key ?? _server.AlphaKey);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private async Task<JsonElement> OkAsync(HttpMethod method, string path, object? body = null)
    {
        var (status, json) = await SendAsync(method, path, body);
        Assert.True(status == HttpStatusCode.OK, json.ToString());
        return json;
    }

    private static async Task<JsonElement> UntilAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Still not there after 30 s: {value}");
            await Task.Delay(20);
        }
    }

    private async Task<(string Deployment, string Store)> DeploymentAsync()
    {
        var agent = await Alpha.Beta.Agents.Create(new AgentCreateParams { Name = "support", Model = LucidServerFixture.ModelParam });
        var environment = await Alpha.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        var store = await Alpha.Beta.MemoryStores.Create(new MemoryStoreCreateParams { Name = "Support lessons" });
        var deployment = await OkAsync(HttpMethod.Post, "/v1/deployments", new
        {
            name = "refunds",
            agent = agent.ID,
            environment_id = environment.ID,
            initial_events = new object[]
            {
                new { type = "user.message", content = new[] { new { type = "text", text = "Refund ticket 7." } } },
                new { type = "user.define_outcome", description = "Refund ticket 7", rubric = new { type = "text", content = "- Refunds to the original card." }, max_iterations = 1 },
            },
            resources = new[] { new { type = "memory_store", memory_store_id = store.ID } },
        });
        return (deployment.GetProperty("id").GetString()!, store.ID);
    }

    // A run of the deployment, answered by the agent and graded by the grader (both the scripted upstream).
    private async Task<string> GradedRunAsync(string deployment, string verdict)
    {
        _server.Upstream.ReplyText("Refunded to a voucher.")
            .ReplyText($$"""{"findings":[{"criterion":"refunds to the original card","evidence":"voucher","met":{{(verdict == "satisfied" ? "true" : "false")}},"fix":"Refund to the card."}],"explanation":"checked","verdict":"{{verdict}}"}""");
        var run = await OkAsync(HttpMethod.Post, $"/v1/deployments/{deployment}/run");
        var session = run.GetProperty("session_id").GetString()!;
        await UntilAsync(() => OkAsync(HttpMethod.Get, $"/v1/sessions/{session}"), s =>
            s.GetProperty("outcome_evaluations") is { ValueKind: JsonValueKind.Array } e && e.GetArrayLength() > 0 && e[0].GetProperty("result").GetString() == verdict
            && s.GetProperty("status").GetString() == "idle");
        return session;
    }

    [Fact]
    public async Task After_two_graded_runs_the_policy_dreams_and_the_deployments_store_changes_only_when_the_review_is_finished()
    {
        var (deployment, store) = await DeploymentAsync();
        var dreamer = $"scripted/learner-{Guid.NewGuid():N}";
        var dreamerModel = new ScriptedChatClient();
        _server.Scripted.With(dreamer, dreamerModel);
        var created = await OkAsync(HttpMethod.Post, "/v1/lucid/learning_policies", new
        {
            deployment_id = deployment,
            memory_store_id = store,
            trigger = new { type = "graded_sessions", count = 2 },
            model = dreamer,
        });
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("lrnp_", id, StringComparison.Ordinal);
        Assert.Equal(("learning_policy", "required", "enabled"), (created.GetProperty("type").GetString(), created.GetProperty("review").GetString(), created.GetProperty("state").GetString()));
        Assert.Equal(JsonValueKind.Null, created.GetProperty("last_dream_id").ValueKind);

        // The policy learns from sessions that start after it.
        _time.Advance(TimeSpan.FromSeconds(1));
        var first = await GradedRunAsync(deployment, "failed");
        var second = await GradedRunAsync(deployment, "failed");
        var evidence = new[] { (await Alpha.Beta.Sessions.Events.List(first)).Items[0].Json.GetProperty("id").GetString()! };
        dreamerModel
            .Reply(JsonSerializer.Serialize(new { lessons = new[] { new { title = "Refund to the card", when = "refunding", @do = "Refund to the original card.", evidence } } }))
            .Reply(JsonSerializer.Serialize(new
            {
                operations = new[] { new { op = "add", path = "/lessons/refunds.md", sources = Array.Empty<string>(), title = "Refund to the card", when = "refunding", @do = "Refund to the original card, never a voucher.", evidence, reason = "two refunds failed" } },
            }));

        // The scheduler looks again within a minute of the server's clock.
        _time.Advance(TimeSpan.FromMinutes(1));
        var policy = await UntilAsync(() => OkAsync(HttpMethod.Get, $"/v1/lucid/learning_policies/{id}"), p => p.GetProperty("last_dream_id").ValueKind == JsonValueKind.String);
        var dreamId = policy.GetProperty("last_dream_id").GetString()!;
        var dream = await UntilAsync(() => OkAsync(HttpMethod.Get, $"/v1/dreams/{dreamId}"), d => d.GetProperty("review").GetProperty("state").GetString() == "pending");
        var read = dream.GetProperty("inputs").EnumerateArray().Single(i => i.GetProperty("type").GetString() == "sessions").GetProperty("session_ids");
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), read.EnumerateArray().Select(s => s.GetString()!).Order(StringComparer.Ordinal));
        Assert.Empty((await Alpha.Beta.MemoryStores.Memories.List(store, new MemoryListParams())).Items);

        var change = (await OkAsync(HttpMethod.Get, $"/v1/lucid/dreams/{dreamId}/changes")).GetProperty("data")[0].GetProperty("id").GetString()!;
        await OkAsync(HttpMethod.Post, $"/v1/lucid/dreams/{dreamId}/changes/{change}/accept");
        await OkAsync(HttpMethod.Post, $"/v1/lucid/dreams/{dreamId}/review/finish");

        var memories = (await Alpha.Beta.MemoryStores.Memories.List(store, new MemoryListParams())).Items.Select(m => m.Json.GetProperty("path").GetString()).ToList();
        Assert.Contains("/lessons/refunds.md", memories);
    }

    [Fact]
    public async Task Policies_are_listed_updated_deleted_checked_at_the_edge_and_invisible_to_other_workspaces()
    {
        var (deployment, store) = await DeploymentAsync();
        var other = await Alpha.Beta.MemoryStores.Create(new MemoryStoreCreateParams { Name = "Elsewhere" });
        var body = new Dictionary<string, object?>
        {
            ["deployment_id"] = deployment,
            ["memory_store_id"] = store,
            ["trigger"] = new { type = "cron", expression = "0 3 * * *", timezone = "Europe/Paris" },
            ["model"] = LucidServerFixture.Model,
        };

        async Task<string?> FieldOf(Dictionary<string, object?> changes)
        {
            var merged = new Dictionary<string, object?>(body);
            foreach (var (name, value) in changes)
            {
                merged[name] = value;
            }

            var (status, json) = await SendAsync(HttpMethod.Post, "/v1/lucid/learning_policies", merged);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            return json.GetProperty("error").TryGetProperty("field", out var f) ? f.GetString() : null;
        }

        Assert.Equal("memory_store_id", await FieldOf(new() { ["memory_store_id"] = other.ID }));
        Assert.Equal("trigger.type", await FieldOf(new() { ["trigger"] = new { type = "weekly" } }));
        Assert.Equal("trigger.expression", await FieldOf(new() { ["trigger"] = new { type = "cron", expression = "61 * * * *" } }));
        Assert.Equal("trigger.graded_sessions", await FieldOf(new() { ["trigger"] = new { type = "graded_sessions", count = 0 } }));
        Assert.Equal("review", await FieldOf(new() { ["review"] = "later" }));
        Assert.Equal("model", await FieldOf(new() { ["model"] = "nowhere/none" }));
        Assert.Empty((await OkAsync(HttpMethod.Get, "/v1/lucid/learning_policies")).GetProperty("data").EnumerateArray());

        var created = await OkAsync(HttpMethod.Post, "/v1/lucid/learning_policies", body);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("Europe/Paris", created.GetProperty("trigger").GetProperty("timezone").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(HttpMethod.Post, "/v1/lucid/learning_policies", body)).Status);

        var updated = await OkAsync(HttpMethod.Post, $"/v1/lucid/learning_policies/{id}", new { state = "disabled", review = "none", trigger = new { type = "graded_sessions", count = 5 } });
        Assert.Equal(("disabled", "none", 5), (updated.GetProperty("state").GetString(), updated.GetProperty("review").GetString(), updated.GetProperty("trigger").GetProperty("count").GetInt32()));
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Post, $"/v1/lucid/learning_policies/{id}", new { memory_store_id = other.ID })).Status);
        Assert.Equal([id], (await OkAsync(HttpMethod.Get, "/v1/lucid/learning_policies")).GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetString()));

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/v1/lucid/learning_policies/{id}", key: _server.BetaKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, $"/v1/lucid/learning_policies/{id}", key: _server.BetaKey)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, "/v1/lucid/learning_policies/depl_nope")).Status);

        var deleted = await OkAsync(HttpMethod.Delete, $"/v1/lucid/learning_policies/{id}");
        Assert.Equal("learning_policy_deleted", deleted.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/v1/lucid/learning_policies/{id}")).Status);
    }
}
