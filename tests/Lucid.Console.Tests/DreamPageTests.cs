using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Anthropic.Models.Beta.MemoryStores;
using Anthropic.Models.Beta.MemoryStores.Memories;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Testing.Models;
using Microsoft.Playwright;

namespace Lucid.Console.Tests;

[Collection(ConsoleTestGroup.Name)]
public sealed class DreamPageTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task A_reviewer_accepts_one_change_and_rejects_another_and_only_the_accepted_one_reaches_the_store()
    {
        var client = fixture.Alpha;
        var store = await client.Beta.MemoryStores.Create(new MemoryStoreCreateParams { Name = "Reviewed lessons" });
        await client.Beta.MemoryStores.Memories.Create(store.ID, new MemoryCreateParams { Path = "/lessons/old.md", Content = "An old lesson." });
        using var http = AlphaHttp();
        var run = Guid.NewGuid().ToString("N");
        var imported = await PostAsync(http, "/v1/lucid/imports/openai-chat",
            $"[{{\"role\":\"user\",\"content\":\"Book trip {run} a\"}},{{\"role\":\"assistant\",\"content\":\"Booked.\"}}]\n[{{\"role\":\"user\",\"content\":\"Book trip {run} b\"}},{{\"role\":\"assistant\",\"content\":\"Booked.\"}}]");
        var sessions = imported.GetProperty("imported").EnumerateArray().Select(i => i.GetProperty("session_id").GetString()!).ToList();
        var cited = (await client.Beta.Sessions.Events.List(sessions[0], new EventListParams { Limit = 10 })).Items[0].Json.GetProperty("id").GetString()!;
        var model = $"scripted/console-{run}";
        string[] evidence = [cited];
        fixture.Server.Scripted.With(model, new ScriptedChatClient()
            .Reply(JsonSerializer.Serialize(new { lessons = new[] { new { title = "Confirm the trip", when = "booking", @do = "confirm first", evidence } } }))
            .Reply(JsonSerializer.Serialize(new
            {
                operations = new object[]
                {
                    new { op = "add", path = "/lessons/confirm.md", sources = Array.Empty<string>(), title = "Confirm the trip", when = "before booking", @do = "Read the trip back to the user.", evidence, reason = "Both bookings went ahead unconfirmed." },
                    new { op = "retire", path = "/lessons/old.md", sources = Array.Empty<string>(), title = "", when = "", @do = "", evidence, reason = "Contradicted by the bookings." },
                },
            })));
        var id = await DreamAwaitingReviewAsync(http, store.ID, sessions, model);

        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);
        await page.GotoAsync($"/console/dreams/{id}");
        var changes = page.Locator("article.change");
        await Assertions.Expect(changes).ToHaveCountAsync(2);
        var add = changes.Filter(new() { HasText = "/lessons/confirm.md" });
        var retire = changes.Filter(new() { HasText = "/lessons/old.md" });
        await Assertions.Expect(add.Locator(".diff")).ToContainTextAsync("Read the trip back to the user.");
        await Assertions.Expect(retire.Locator(".diff")).ToContainTextAsync("An old lesson.");
        await Assertions.Expect(add.Locator(".diff .add", new() { HasText = "Read the trip back to the user." })).ToHaveCountAsync(1);
        await Assertions.Expect(retire.Locator(".diff .del", new() { HasText = "An old lesson." })).ToHaveCountAsync(1);
        await Assertions.Expect(add).ToContainTextAsync("Both bookings went ahead unconfirmed.");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Finish the review" })).ToBeDisabledAsync();
        await ConsoleFixture.ScreenshotAsync(page, "dream-review");
        await ConsoleFixture.AssertAccessibleAsync(page);

        await add.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("accepted");

        // A decision from a page loaded before someone else decided is refused with the reason, and changes nothing.
        var stale = await fixture.SignedInAsync(fixture.Server.AlphaKey);
        await stale.GotoAsync($"/console/dreams/{id}");
        await page.Locator("article.change", new() { HasText = "/lessons/old.md" }).GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("rejected");
        await stale.Locator("article.change", new() { HasText = "/lessons/old.md" }).GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Assertions.Expect(stale.GetByRole(AriaRole.Alert)).ToContainTextAsync("already rejected");
        await stale.Context.CloseAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Finish the review" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Review finished");
        await Assertions.Expect(page.Locator(".markdown")).ToBeVisibleAsync();
        await ConsoleFixture.ScreenshotAsync(page, "dream");

        // The output store holds the accepted change and keeps the memory whose retirement was rejected.
        var finished = await http.GetFromJsonAsync<JsonElement>($"/v1/dreams/{id}");
        var output = finished.GetProperty("outputs")[0].GetProperty("memory_store_id").GetString()!;
        var memories = await client.Beta.MemoryStores.Memories.List(output);
        var paths = memories.Items.Select(m => m.Json.TryGetProperty("path", out var p) ? p.GetString() : null).OfType<string>().ToList();
        Assert.Contains("/lessons/confirm.md", paths);
        Assert.Contains("/lessons/old.md", paths);

        // The evidence links into the session's transcript, at the cited event.
        await page.Locator($"article.change a[href*='#ev-{cited}']").First.ClickAsync();
        await page.WaitForURLAsync($"**/console/sessions/{sessions[0]}**");
        await Assertions.Expect(page.Locator($"#ev-{cited}")).ToBeVisibleAsync();

        // Another workspace sees nothing of it.
        var beta = await fixture.SignedInAsync(fixture.Server.BetaKey);
        Assert.Equal(404, (await beta.GotoAsync($"/console/dreams/{id}"))!.Status);
        await beta.GotoAsync("/console/dreams");
        await Assertions.Expect(beta.Locator("main")).Not.ToContainTextAsync(id);
        await beta.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_reviewer_sees_a_proposed_skill_as_its_SKILL_md_and_accepting_it_creates_the_skill()
    {
        var client = fixture.Alpha;
        var store = await client.Beta.MemoryStores.Create(new MemoryStoreCreateParams { Name = "Skill review" });
        using var http = AlphaHttp();
        var run = Guid.NewGuid().ToString("N");

        // Three τ-bench trajectories that passed by the same two steps.
        var records = Enumerable.Range(0, 3).Select(i => JsonSerializer.Serialize(new
        {
            task_id = $"{run}-{i}",
            trial = 0,
            reward = 1.0,
            info = new { },
            traj = new object[]
            {
                new { role = "user", content = $"Book trip {run} {i}" },
                new { role = "assistant", content = (string?)null, tool_calls = new[] { new { id = $"c{i}a", type = "function", function = new { name = "get_user", arguments = "{}" } } } },
                new { role = "tool", tool_call_id = $"c{i}a", name = "get_user", content = "Ana" },
                new { role = "assistant", content = (string?)null, tool_calls = new[] { new { id = $"c{i}b", type = "function", function = new { name = "book", arguments = "{}" } } } },
                new { role = "tool", tool_call_id = $"c{i}b", name = "book", content = "booked" },
            },
        }));
        var imported = await PostAsync(http, "/v1/lucid/imports/tau-bench", string.Join('\n', records));
        var sessions = imported.GetProperty("imported").EnumerateArray().Select(i => i.GetProperty("session_id").GetString()!).ToList();
        var uses = new List<string>();
        foreach (var session in sessions)
        {
            var events = await client.Beta.Sessions.Events.List(session, new EventListParams { Limit = 50 });
            uses.AddRange(events.Items.Select(e => e.Json).Where(e => e.GetProperty("type").GetString()!.EndsWith("tool_use", StringComparison.Ordinal)).Select(e => e.GetProperty("id").GetString()!));
        }

        var model = $"scripted/console-skill-{run}";
        fixture.Server.Scripted.With(model, new ScriptedChatClient()
            .Reply(JsonSerializer.Serialize(new { lessons = Array.Empty<object>() }))
            .Reply(JsonSerializer.Serialize(new
            {
                operations = new[]
                {
                    new
                    {
                        op = "add_skill", path = $"book-{run[..8]}", sources = Array.Empty<string>(), title = "Books a trip for a known user.",
                        when = "A user asks to book a trip.", @do = "Look the user up.\nBook the trip.", evidence = uses, reason = "Passed three times this way.",
                    },
                },
            })));
        var id = await DreamAwaitingReviewAsync(http, store.ID, sessions, model);

        var page = await fixture.SignedInAsync(fixture.Server.AlphaKey);
        await page.GotoAsync($"/console/dreams/{id}");
        var change = page.Locator("article.change");
        await Assertions.Expect(change).ToHaveCountAsync(1);
        await Assertions.Expect(change).ToContainTextAsync("add_skill");
        await Assertions.Expect(change).ToContainTextAsync("get_user → book");
        await Assertions.Expect(change.Locator(".diff .add", new() { HasText = "2. Book the trip." })).ToHaveCountAsync(1);
        await ConsoleFixture.AssertAccessibleAsync(page);

        await change.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("created");
        await Assertions.Expect(change).ToContainTextAsync("Created as skill skill_");
        var decided = (await http.GetFromJsonAsync<JsonElement>($"/v1/lucid/dreams/{id}/changes")).GetProperty("data")[0];
        var skillId = decided.GetProperty("skill").GetProperty("skill_id").GetString()!;
        await Assertions.Expect(change).ToContainTextAsync(skillId);
        using var skill = await http.GetAsync($"/v1/skills/{skillId}");
        Assert.True(skill.IsSuccessStatusCode);
        await page.Context.CloseAsync();
    }

    private HttpClient AlphaHttp()
    {
        var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        http.DefaultRequestHeaders.Add("x-api-key", fixture.Server.AlphaKey);
        return http;
    }

    // Starts a dream over the store and the sessions that needs review, and waits until its changes await the reviewer.
    private static async Task<string> DreamAwaitingReviewAsync(HttpClient http, string storeId, List<string> sessions, string model)
    {
        var dream = await PostAsync(http, "/v1/dreams", JsonSerializer.Serialize(new
        {
            inputs = new object[] { new { type = "memory_store", memory_store_id = storeId }, new { type = "sessions", session_ids = sessions } },
            model,
            review = "required",
        }));
        var id = dream.GetProperty("id").GetString()!;
        for (var i = 0; i < 1500 && (await http.GetFromJsonAsync<JsonElement>($"/v1/dreams/{id}")).GetProperty("review").GetProperty("state").GetString() != "pending"; i++)
        {
            await Task.Delay(20);
        }

        return id;
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, string body)
    {
        using var response = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
