using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lucid.Reliability.Tests;

/// <summary>
/// A dream waiting for review across a SIGKILL of the real <c>lucid serve</c>: the next process keeps its proposed
/// changes and decisions, never asks the model again, and finishing writes only the accepted change.
/// </summary>
public sealed class DreamReviewRestartTests : IAsyncLifetime
{
    private readonly ServedHome _served = new("lucid-dream-review-");

    public Task InitializeAsync() => _served.Upstream.StartAsync();

    public async Task DisposeAsync() => await _served.DisposeAsync();

    [Fact]
    public async Task A_dream_waiting_for_review_keeps_its_changes_and_decisions_across_a_kill()
    {
        var server = await _served.StartServerAsync();
        string dream;
        string add;
        string retire;
        int modelCalls;
        try
        {
            using var http = _served.Http();
            var store = (await SendAsync(http, HttpMethod.Post, "/v1/memory_stores", """{"name":"Lessons"}"""))["id"]!.GetValue<string>();
            await SendAsync(http, HttpMethod.Post, $"/v1/memory_stores/{store}/memories", """{"path":"/lessons/old.md","content":"An old lesson."}""");
            var imported = await SendAsync(http, HttpMethod.Post, "/v1/lucid/imports/openai-chat", """[{"role":"user","content":"Book a trip."},{"role":"assistant","content":"Booked."}]""");
            var session = imported["imported"]![0]!["session_id"]!.GetValue<string>();
            var eventId = (await SendAsync(http, HttpMethod.Get, $"/v1/sessions/{session}/events"))["data"]![0]!["id"]!.GetValue<string>();
            var evidence = new[] { eventId };
            _served.Upstream
                .ReplyText(JsonSerializer.Serialize(new { lessons = new[] { new { title = "Confirm the trip", when = "booking", @do = "confirm first", evidence } } }))
                .ReplyText(JsonSerializer.Serialize(new
                {
                    operations = new object[]
                    {
                        new { op = "add", path = "/lessons/confirm.md", sources = Array.Empty<string>(), title = "Confirm the trip", when = "before booking", @do = "Read the trip back.", evidence, reason = "seen" },
                        new { op = "retire", path = "/lessons/old.md", sources = Array.Empty<string>(), title = "", when = "", @do = "", evidence, reason = "contradicted" },
                    },
                }));
            dream = (await SendAsync(http, HttpMethod.Post, "/v1/dreams", JsonSerializer.Serialize(new
            {
                inputs = new object[] { new { type = "memory_store", memory_store_id = store }, new { type = "sessions", session_ids = new[] { session } } },
                model = "openai/test",
                review = "required",
            })))["id"]!.GetValue<string>();
            var changes = await WaitForReviewAsync(http, dream);
            (add, retire) = (changes[0]!["id"]!.GetValue<string>(), changes[1]!["id"]!.GetValue<string>());
            await SendAsync(http, HttpMethod.Post, $"/v1/lucid/dreams/{dream}/changes/{add}/accept");
            modelCalls = _served.Upstream.Requests.Count;
        }
        finally
        {
            await server.KillAsync();
            server.Dispose();
        }

        server = await _served.StartServerAsync();
        try
        {
            using var http = _served.Http();
            var after = await SendAsync(http, HttpMethod.Get, $"/v1/dreams/{dream}");
            Assert.Equal("running", after["status"]!.GetValue<string>());
            Assert.Equal("pending", after["review"]!["state"]!.GetValue<string>());
            var decisions = (await SendAsync(http, HttpMethod.Get, $"/v1/lucid/dreams/{dream}/changes"))["data"]!.AsArray()
                .Select(c => (c!["id"]!.GetValue<string>(), c["decision"]!.GetValue<string>()));
            Assert.Equal([(add, "accepted"), (retire, "pending")], decisions);

            await SendAsync(http, HttpMethod.Post, $"/v1/lucid/dreams/{dream}/changes/{retire}/reject");
            var finished = await SendAsync(http, HttpMethod.Post, $"/v1/lucid/dreams/{dream}/review/finish");

            Assert.Equal("completed", finished["status"]!.GetValue<string>());
            var output = finished["outputs"]![0]!["memory_store_id"]!.GetValue<string>();
            var paths = (await SendAsync(http, HttpMethod.Get, $"/v1/memory_stores/{output}/memories"))["data"]!.AsArray()
                .Select(m => m!["path"]?.GetValue<string>()).Where(p => p is not null).Order(StringComparer.Ordinal);
            Assert.Equal([$"/dreams/{dream}.md", "/lessons/confirm.md", "/lessons/old.md"], paths);
            Assert.Equal(modelCalls, _served.Upstream.Requests.Count);
        }
        finally
        {
            await server.KillAsync();
            server.Dispose();
        }
    }

    private static async Task<JsonArray> WaitForReviewAsync(HttpClient http, string dream)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var current = await SendAsync(http, HttpMethod.Get, $"/v1/dreams/{dream}");
            Assert.NotEqual("failed", current["status"]!.GetValue<string>());
            if (current["review"]?["state"]?.GetValue<string>() == "pending")
            {
                return current["review"]!["changes"]!.AsArray();
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Dream {dream} did not reach its review.");
    }

    private static async Task<JsonNode> SendAsync(HttpClient http, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }
}
