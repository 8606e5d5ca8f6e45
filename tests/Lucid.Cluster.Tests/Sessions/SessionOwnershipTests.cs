using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Storage;
using Lucid.Testing.Providers;
using Lucid.Testing.Server;
using Orleans.Runtime;

namespace Lucid.Cluster.Tests.Sessions;

public sealed class SessionOwnershipTests
{
    [Fact]
    public async Task A_message_sent_through_another_node_runs_on_the_owner_and_the_log_stays_gapless()
    {
        var database = await TestNodes.DatabaseAsync();
        await using var a = await TestNodes.StartAsync(database);
        await using var b = await TestNodes.StartAsync(database);
        await TestNodes.WaitForMembershipAsync(b, snapshot => TestNodes.Active(snapshot) == 2);
        a.Upstream.ReplyText("first answer").ReplyText("second answer");
        var sessionId = await CreateSessionAsync(a);

        using var throughB = b.Http(b.AlphaKey);
        foreach (var (text, turns) in new[] { ("one", 1), ("two", 2) })
        {
            var idle = WaitForIdlesAsync(a, sessionId, turns);
            (await throughB.PostAsJsonAsync($"/v1/sessions/{sessionId}/events", Message(text))).EnsureSuccessStatusCode();
            await idle;
        }

        Assert.Equal(2, a.Upstream.Requests.Count);
        Assert.Empty(b.Upstream.Requests);
        Assert.True(a.Service<SessionEngine>().Runs(sessionId));
        Assert.False(b.Service<SessionEngine>().Runs(sessionId));
        var sequences = (await LogAsync(b, sessionId)).Select(e => e.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(n => (long)n), sequences);
        var nodes = JsonNode.Parse(await throughB.GetStringAsync("/v1/lucid/cluster"))!["nodes"]!.AsArray();
        Assert.Equal(1, (int)nodes.Single(n => !(bool)n!["self"]!)!["sessions_owned"]!);
        Assert.Equal(0, (int)nodes.Single(n => (bool)n!["self"]!)!["sessions_owned"]!);
    }

    [Fact]
    public async Task A_bad_event_sent_through_another_node_is_refused_there_naming_the_field()
    {
        var database = await TestNodes.DatabaseAsync();
        await using var a = await TestNodes.StartAsync(database);
        await using var b = await TestNodes.StartAsync(database);
        var sessionId = await CreateSessionAsync(a);

        using var response = await b.Http(b.AlphaKey).PostAsJsonAsync($"/v1/sessions/{sessionId}/events", new { events = new[] { new { type = "user.nonsense" } } });
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(400, (int)response.StatusCode);
        Assert.StartsWith("events[0]", (string?)error["field"], StringComparison.Ordinal);
        Assert.Empty(a.Upstream.Requests);
    }

    [Fact]
    public async Task A_node_that_starts_while_another_runs_a_turn_does_not_resume_that_session()
    {
        var database = await TestNodes.DatabaseAsync();
        await using var a = await TestNodes.StartAsync(database);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Upstream.Then(async (request, response) =>
        {
            asked.TrySetResult();
            await gate.Task;
            await FakeAnthropicServer.WriteTextAsync(request, response, "done");
        });
        var sessionId = await CreateSessionAsync(a);
        var idle = WaitForIdlesAsync(a, sessionId, count: 1);
        (await a.Http(a.AlphaKey).PostAsJsonAsync($"/v1/sessions/{sessionId}/events", Message("slow"))).EnsureSuccessStatusCode();
        await asked.Task.WaitAsync(TestNodes.Patience);

        // The session is running on A: B's startup recovery finds it interrupted in the store, and asks its owner.
        await using var b = await TestNodes.StartAsync(database);
        gate.SetResult();
        await idle;

        var log = await LogAsync(b, sessionId);
        Assert.DoesNotContain(log, e => e.Event is SessionStatusRescheduledEvent);
        Assert.Single(a.Upstream.Requests);
        Assert.Empty(b.Upstream.Requests);
        Assert.False(b.Service<SessionEngine>().Runs(sessionId));
    }

    private static object Message(string text) => new { events = new[] { new { type = "user.message", content = new[] { new { type = "text", text } } } } };

    private static async Task<string> CreateSessionAsync(LucidTestServer node)
    {
        using var http = node.Http(node.AlphaKey);
        var agent = await Created(await http.PostAsJsonAsync("/v1/agents", new { name = "owner", model = LucidTestServer.Model }));
        var environment = await Created(await http.PostAsJsonAsync("/v1/environments", new { name = "local" }));
        return await Created(await http.PostAsJsonAsync("/v1/sessions", new { agent, environment_id = environment }));
    }

    private static async Task<string> Created(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
    }

    private static async Task<IReadOnlyList<LoggedEvent>> LogAsync(LucidTestServer node, string sessionId) =>
        (await node.Service<ILucidStore>().ListEventsAsync(sessionId, new EventQuery(), new PageRequest(1000, null), CancellationToken.None)).Items;

    // Follows the session's stream on the node until it has gone idle `count` times after running.
    private static Task WaitForIdlesAsync(LucidTestServer node, string sessionId, int count) => Task.Run(async () =>
    {
        using var timeout = new CancellationTokenSource(TestNodes.Patience);
        using var http = node.Http(node.AlphaKey);
        using var stream = new StreamReader(await http.GetStreamAsync($"/v1/sessions/{sessionId}/events/stream", timeout.Token));
        var idles = 0;
        var ran = false;
        while (await stream.ReadLineAsync(timeout.Token) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            var type = (string?)JsonNode.Parse(line[5..])!["type"];
            ran |= type == "session.status_running";
            if (ran && type == "session.status_idle" && ++idles == count)
            {
                return;
            }
        }
    });
}
