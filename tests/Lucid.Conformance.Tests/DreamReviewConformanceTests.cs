using System.Net;
using System.Text;
using System.Text.Json;
using Anthropic.Services.Beta;
using Anthropic.Models.Beta.Dreams;
using Anthropic.Models.Beta.MemoryStores;
using Anthropic.Models.Beta.MemoryStores.Memories;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Testing.Models;

namespace Lucid.Conformance.Tests;

/// <summary>
/// Dream review, a Lucid extension: the standard fields through the official SDK (which must still validate a dream
/// waiting for review), the extension field and routes over raw HTTP.
/// </summary>
[Collection(ServerTestGroup.Name)]
public sealed class DreamReviewConformanceTests(LucidServerFixture server)
{
    private IDreamService Dreams => server.Alpha.Beta.Dreams;

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(string key, HttpMethod method, string path, string? body = null)
    {
        using var http = server.Http(key);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<JsonElement> OkAsync(HttpMethod method, string path, string? body = null)
    {
        var (status, json) = await SendAsync(server.AlphaKey, method, path, body);
        Assert.True(status == HttpStatusCode.OK, json.ToString());
        return json;
    }

    // A store with one old lesson, and two imported sessions whose events the scripted dreamer cites.
    private async Task<(string Store, List<string> Sessions, string EventId)> InputsAsync()
    {
        var store = await server.Alpha.Beta.MemoryStores.Create(new MemoryStoreCreateParams { Name = "Lessons" });
        await server.Alpha.Beta.MemoryStores.Memories.Create(store.ID, new MemoryCreateParams { Path = "/lessons/old.md", Content = "An old lesson." });
        var run = Guid.NewGuid().ToString("N");
        var file = $"[{{\"role\":\"user\",\"content\":\"Book trip {run} a\"}},{{\"role\":\"assistant\",\"content\":\"Booked.\"}}]\n" +
                   $"[{{\"role\":\"user\",\"content\":\"Book trip {run} b\"}},{{\"role\":\"assistant\",\"content\":\"Booked.\"}}]";
        var report = await OkAsync(HttpMethod.Post, "/v1/lucid/imports/openai-chat", file);
        var sessions = report.GetProperty("imported").EnumerateArray().Select(i => i.GetProperty("session_id").GetString()!).ToList();
        var events = await server.Alpha.Beta.Sessions.Events.List(sessions[0], new EventListParams { Limit = 10 });
        return (store.ID, sessions, events.Items[0].Json.GetProperty("id").GetString()!);
    }

    private string ReviewedDreamer(string eventId)
    {
        var model = $"scripted/reviewed-{Guid.NewGuid():N}";
        var evidence = new[] { eventId };
        server.Scripted.With(model, new ScriptedChatClient()
            .Reply(JsonSerializer.Serialize(new { lessons = new[] { new { title = "Confirm the trip", when = "booking", @do = "confirm first", evidence } } }))
            .Reply(JsonSerializer.Serialize(new
            {
                operations = new object[]
                {
                    new { op = "add", path = "/lessons/confirm.md", sources = Array.Empty<string>(), title = "Confirm the trip", when = "before booking", @do = "Read the trip back to the user.", evidence, reason = "seen" },
                    new { op = "retire", path = "/lessons/old.md", sources = Array.Empty<string>(), title = "", when = "", @do = "", evidence, reason = "contradicted" },
                },
            })));
        return model;
    }

    private static string CreateBody(string store, List<string> sessions, string model, string review) => JsonSerializer.Serialize(new
    {
        inputs = new object[] { new { type = "memory_store", memory_store_id = store }, new { type = "sessions", session_ids = sessions } },
        model,
        review,
    });

    private async Task<JsonElement> WaitForReviewAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var dream = await OkAsync(HttpMethod.Get, $"/v1/dreams/{id}");
            if (dream.GetProperty("review").GetProperty("state").GetString() == "pending" || DateTime.UtcNow > deadline)
            {
                return dream;
            }

            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_reviewed_dream_writes_only_the_accepted_change_and_its_report_when_the_review_is_finished()
    {
        var (store, sessions, eventId) = await InputsAsync();
        var created = await OkAsync(HttpMethod.Post, "/v1/dreams", CreateBody(store, sessions, ReviewedDreamer(eventId), "required"));
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("proposing", created.GetProperty("review").GetProperty("state").GetString());

        var waiting = await WaitForReviewAsync(id);
        Assert.Equal("running", waiting.GetProperty("status").GetString());
        var sdk = await Dreams.Retrieve(id);
        Assert.Equal("running", sdk.Status.Raw());
        Assert.Empty(sdk.Outputs);

        var changes = (await OkAsync(HttpMethod.Get, $"/v1/lucid/dreams/{id}/changes")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["add", "retire"], changes.Select(c => c.GetProperty("op").GetString()));
        var add = changes[0].GetProperty("id").GetString()!;
        var retire = changes[1].GetProperty("id").GetString()!;
        Assert.StartsWith("dchg_", add, StringComparison.Ordinal);
        Assert.Equal("An old lesson.", changes[1].GetProperty("replaces")[0].GetProperty("content").GetString());

        var accepted = await OkAsync(HttpMethod.Post, $"/v1/lucid/dreams/{id}/changes/{add}/accept");
        Assert.Equal("accepted", accepted.GetProperty("decision").GetString());
        var (early, _) = await SendAsync(server.AlphaKey, HttpMethod.Post, $"/v1/lucid/dreams/{id}/review/finish");
        Assert.Equal(HttpStatusCode.Conflict, early);
        await OkAsync(HttpMethod.Post, $"/v1/lucid/dreams/{id}/changes/{retire}/reject");
        var finished = await OkAsync(HttpMethod.Post, $"/v1/lucid/dreams/{id}/review/finish");
        Assert.Equal("finished", finished.GetProperty("review").GetProperty("state").GetString());

        var done = await Dreams.Retrieve(id);
        Assert.Equal("completed", done.Status.Raw());
        var output = Assert.Single(done.Outputs).MemoryStoreID;
        Assert.NotEqual(store, output);
        var memories = await server.Alpha.Beta.MemoryStores.Memories.List(output, new MemoryListParams { View = BetaManagedAgentsMemoryView.Full });
        var byPath = memories.Items.ToDictionary(m => m.Json.GetProperty("path").GetString()!, m => m.Json.GetProperty("content").GetString()!);
        Assert.Equal(["/dreams/" + id + ".md", "/lessons/confirm.md", "/lessons/old.md"], byPath.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("An old lesson.", byPath["/lessons/old.md"]);
        Assert.Contains($"accepted as `{add}`", byPath["/dreams/" + id + ".md"], StringComparison.Ordinal);
        Assert.Contains($"rejected as `{retire}`", byPath["/dreams/" + id + ".md"], StringComparison.Ordinal);
    }

    // Three τ-bench trajectories that passed by the same two steps (get_user, then book), and the tool uses of each.
    private async Task<(string Store, List<string> Sessions, List<string> ToolUses)> WorkflowInputsAsync()
    {
        var store = await server.Alpha.Beta.MemoryStores.Create(new MemoryStoreCreateParams { Name = "Booking skills" });
        var run = Guid.NewGuid().ToString("N");
        var records = Enumerable.Range(0, 3).Select(i => JsonSerializer.Serialize(new
        {
            task_id = $"{run}-{i % 2}",
            trial = i,
            reward = 1.0,
            info = new { },
            traj = new object[]
            {
                new { role = "user", content = $"Book trip {run} {i}" },
                new { role = "assistant", content = (string?)null, tool_calls = new[] { new { id = $"c{i}a", type = "function", function = new { name = "get_user", arguments = "{\"user\":\"u1\"}" } } } },
                new { role = "tool", tool_call_id = $"c{i}a", name = "get_user", content = "{\"name\":\"Ana\"}" },
                new { role = "assistant", content = (string?)null, tool_calls = new[] { new { id = $"c{i}b", type = "function", function = new { name = "book", arguments = "{\"flight\":\"F1\"}" } } } },
                new { role = "tool", tool_call_id = $"c{i}b", name = "book", content = "booked" },
                new { role = "assistant", content = "Booked." },
            },
        }));
        var report = await OkAsync(HttpMethod.Post, "/v1/lucid/imports/tau-bench", string.Join('\n', records));
        var sessions = report.GetProperty("imported").EnumerateArray().Select(i => i.GetProperty("session_id").GetString()!).ToList();
        var uses = new List<string>();
        foreach (var session in sessions)
        {
            var events = await server.Alpha.Beta.Sessions.Events.List(session, new EventListParams { Limit = 50 });
            uses.AddRange(events.Items.Select(e => e.Json).Where(e => e.GetProperty("type").GetString()!.EndsWith("tool_use", StringComparison.Ordinal)).Select(e => e.GetProperty("id").GetString()!));
        }

        return (store.ID, sessions, uses);
    }

    [Fact]
    public async Task Accepting_a_proposed_skill_creates_a_skill_version_readable_through_the_skills_api()
    {
        var (store, sessions, uses) = await WorkflowInputsAsync();
        Assert.Equal(6, uses.Count);
        var model = $"scripted/skills-{Guid.NewGuid():N}";
        server.Scripted.With(model, new ScriptedChatClient()
            .Reply(JsonSerializer.Serialize(new { lessons = Array.Empty<object>() }))
            .Reply(JsonSerializer.Serialize(new
            {
                operations = new[]
                {
                    new
                    {
                        op = "add_skill", path = "look-up-and-book", sources = Array.Empty<string>(), title = "Books a trip for a known user.",
                        when = "A user asks to book a trip.", @do = "Look the user up with get_user.\nBook with book.", evidence = uses, reason = "passed 3 times",
                    },
                },
            })));
        var id = (await OkAsync(HttpMethod.Post, "/v1/dreams", CreateBody(store, sessions, model, "required"))).GetProperty("id").GetString()!;
        var waiting = await WaitForReviewAsync(id);
        Assert.Equal("pending", waiting.GetProperty("review").GetProperty("state").GetString());

        var change = Assert.Single((await OkAsync(HttpMethod.Get, $"/v1/lucid/dreams/{id}/changes")).GetProperty("data").EnumerateArray());
        Assert.Equal(("add_skill", "look-up-and-book"), (change.GetProperty("op").GetString(), change.GetProperty("path").GetString()));
        var proposed = change.GetProperty("skill");
        Assert.Equal("get_user → book", proposed.GetProperty("workflow").GetString());
        Assert.Equal(sessions.Order(StringComparer.Ordinal), proposed.GetProperty("session_ids").EnumerateArray().Select(s => s.GetString()!));
        Assert.StartsWith("---\nname: look-up-and-book\n", proposed.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, proposed.GetProperty("skill_id").ValueKind);

        var accepted = await OkAsync(HttpMethod.Post, $"/v1/lucid/dreams/{id}/changes/{change.GetProperty("id").GetString()}/accept");
        var skillId = accepted.GetProperty("skill").GetProperty("skill_id").GetString()!;
        var versionId = accepted.GetProperty("skill").GetProperty("skill_version_id").GetString()!;
        var version = await OkAsync(HttpMethod.Get, $"/v1/skills/{skillId}/versions/{versionId}");
        Assert.Equal(("look-up-and-book", "Books a trip for a known user."), (version.GetProperty("name").GetString(), version.GetProperty("description").GetString()));
        var (otherStatus, _) = await SendAsync(server.BetaKey, HttpMethod.Get, $"/v1/skills/{skillId}");
        Assert.Equal(HttpStatusCode.NotFound, otherStatus);
    }

    [Fact]
    public async Task Duplicate_and_late_decisions_are_409s_and_another_workspace_gets_404s()
    {
        var (store, sessions, eventId) = await InputsAsync();
        var id = (await OkAsync(HttpMethod.Post, "/v1/dreams", CreateBody(store, sessions, ReviewedDreamer(eventId), "required"))).GetProperty("id").GetString()!;
        var waiting = await WaitForReviewAsync(id);
        var ids = waiting.GetProperty("review").GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();

        foreach (var path in new[] { $"/v1/lucid/dreams/{id}/changes", $"/v1/lucid/dreams/{id}/changes/{ids[0]}" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(server.BetaKey, HttpMethod.Get, path)).Status);
        }

        foreach (var path in new[] { $"/v1/lucid/dreams/{id}/changes/{ids[0]}/accept", $"/v1/lucid/dreams/{id}/review/finish" })
        {
            var (status, error) = await SendAsync(server.BetaKey, HttpMethod.Post, path);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("not_found_error", error.GetProperty("error").GetProperty("type").GetString());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(server.AlphaKey, HttpMethod.Post, $"/v1/lucid/dreams/{id}/changes/dchg_missing000000000000/accept")).Status);
        await OkAsync(HttpMethod.Post, $"/v1/lucid/dreams/{id}/changes/{ids[0]}/accept");
        var (twice, conflict) = await SendAsync(server.AlphaKey, HttpMethod.Post, $"/v1/lucid/dreams/{id}/changes/{ids[0]}/reject");
        Assert.Equal(HttpStatusCode.Conflict, twice);
        Assert.Equal("conflict_error", conflict.GetProperty("error").GetProperty("type").GetString());
        var change = await OkAsync(HttpMethod.Get, $"/v1/lucid/dreams/{id}/changes/{ids[0]}");
        Assert.Equal("accepted", change.GetProperty("decision").GetString());

        await Dreams.Cancel(id);
        var (late, _) = await SendAsync(server.AlphaKey, HttpMethod.Post, $"/v1/lucid/dreams/{id}/changes/{ids[1]}/accept");
        Assert.Equal(HttpStatusCode.Conflict, late);
        Assert.Equal("canceled", (await Dreams.Retrieve(id)).Status.Raw());
    }

    [Fact]
    public async Task An_unknown_review_value_is_a_400_naming_the_field()
    {
        var (store, sessions, _) = await InputsAsync();
        var (status, error) = await SendAsync(server.AlphaKey, HttpMethod.Post, "/v1/dreams", CreateBody(store, sessions, "scripted/nobody", "maybe"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("review", error.GetProperty("error").GetProperty("field").GetString());
    }
}
