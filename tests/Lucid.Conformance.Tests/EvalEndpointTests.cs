using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic.Models.Beta.MemoryStores;
using Anthropic.Models.Beta.MemoryStores.Memories;
using Lucid.Testing.Models;
using Lucid.Testing.Server;

namespace Lucid.Conformance.Tests;

/// <summary>The Lucid extension <c>/v1/lucid/evals</c>: runs created from a suite, run in the background, and their reports.</summary>
public sealed class EvalEndpointTests : IAsyncLifetime
{
    private const string Model = "scripted/lessons";

    private readonly LucidTestServer _server = new();

    public Task InitializeAsync()
    {
        _server.Scripted.With(Model, new LessonChatClient());
        return _server.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static JsonObject Suite(params JsonObject[] arms) => new()
    {
        ["name"] = "lessons",
        ["agent"] = new JsonObject { ["name"] = "worker", ["model"] = Model },
        ["trials"] = 2,
        ["arms"] = new JsonArray([.. arms]),
        ["tasks"] = new JsonArray([.. Enumerable.Range(0, 5).Select(i => (JsonNode)new JsonObject
        {
            ["id"] = $"t{i}",
            ["prompt"] = LessonChatClient.Prompt($"t{i}"),
            ["rubric"] = LessonChatClient.Rubric($"CODE-{i}"),
        })]),
    };

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(string key, HttpMethod method, string path, JsonNode? body = null)
    {
        using var http = _server.Http(key);
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private async Task<JsonElement> PollAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var (_, run) = await SendAsync(_server.AlphaKey, HttpMethod.Get, $"/v1/lucid/evals/{id}");
            if (run.GetProperty("status").GetString() is "completed" or "failed" || DateTime.UtcNow > deadline)
            {
                return run;
            }

            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_run_created_from_a_suite_completes_in_the_background_with_its_report_and_tagged_sessions()
    {
        using var alpha = new Anthropic.AnthropicClient(new Anthropic.Core.ClientOptions { ApiKey = _server.AlphaKey, BaseUrl = _server.BaseUrl, MaxRetries = 0 });
        var store = await alpha.Beta.MemoryStores.Create(new MemoryStoreCreateParams { Name = "Lessons" });
        for (var i = 0; i < 5; i++)
        {
            await alpha.Beta.MemoryStores.Memories.Create(store.ID, new MemoryCreateParams { Path = $"/lessons/t{i}.md", Content = LessonChatClient.Lesson($"t{i}", $"CODE-{i}") });
        }

        var (status, created) = await SendAsync(_server.AlphaKey, HttpMethod.Post, "/v1/lucid/evals",
            Suite(new JsonObject { ["name"] = "none" }, new JsonObject { ["name"] = "memory", ["memory_store"] = store.ID }));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("eval_run", created.GetProperty("type").GetString());
        Assert.Equal(20, created.GetProperty("total_trials").GetInt32());
        var run = await PollAsync(created.GetProperty("id").GetString()!);

        Assert.Equal("completed", run.GetProperty("status").GetString());
        var arms = run.GetProperty("report").GetProperty("arms");
        Assert.Equal(0, arms[0].GetProperty("passed").GetInt32());
        Assert.Equal(10, arms[1].GetProperty("passed").GetInt32());
        var comparison = run.GetProperty("report").GetProperty("comparisons")[0];
        Assert.Equal(5, comparison.GetProperty("improved").GetArrayLength());
        Assert.Equal(0.0625, comparison.GetProperty("p_value").GetDouble(), 12);
        var trial = run.GetProperty("trials").EnumerateArray().First(t => t.GetProperty("arm").GetString() == "memory");
        var session = await alpha.Beta.Sessions.Retrieve(trial.GetProperty("session_id").GetString()!);
        Assert.Equal(run.GetProperty("id").GetString(), session.Metadata["eval_run_id"]);
        Assert.Equal("memory", session.Metadata["eval_arm"]);
        Assert.Equal(trial.GetProperty("task_id").GetString(), session.Metadata["task_id"]);
        Assert.Equal(trial.GetProperty("trial").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), session.Metadata["eval_trial"]);

        var (_, listed) = await SendAsync(_server.AlphaKey, HttpMethod.Get, "/v1/lucid/evals");
        Assert.Equal(run.GetProperty("id").GetString(), listed.GetProperty("data")[0].GetProperty("id").GetString());
        var (hidden, _) = await SendAsync(_server.BetaKey, HttpMethod.Get, $"/v1/lucid/evals/{run.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.NotFound, hidden);
    }

    [Fact]
    public async Task A_bad_suite_is_refused_naming_its_field_and_nothing_is_stored()
    {
        var noTasks = Suite(new JsonObject { ["name"] = "none" });
        noTasks["tasks"] = new JsonArray();
        var (status, error) = await SendAsync(_server.AlphaKey, HttpMethod.Post, "/v1/lucid/evals", noTasks);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("tasks needs at least 1 item", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        var (missing, notFound) = await SendAsync(_server.AlphaKey, HttpMethod.Post, "/v1/lucid/evals", Suite(new JsonObject { ["name"] = "gone", ["memory_store"] = "memstore_missing" }));
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Contains("memstore_missing", notFound.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        var (_, listed) = await SendAsync(_server.AlphaKey, HttpMethod.Get, "/v1/lucid/evals");
        Assert.Equal(0, listed.GetProperty("data").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(_server.AlphaKey, HttpMethod.Get, "/v1/lucid/evals/nope")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(_server.AlphaKey, HttpMethod.Get, "/v1/lucid/evals/evalrun_missing")).Status);
    }
}
