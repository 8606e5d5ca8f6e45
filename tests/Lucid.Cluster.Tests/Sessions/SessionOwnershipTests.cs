using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Lucid.Events;
using Lucid.Sessions;
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
        var sessionId = await SessionsOnNodes.CreateAsync(a);

        using var throughB = b.Http(b.AlphaKey);
        foreach (var (text, turns) in new[] { ("one", 1), ("two", 2) })
        {
            var idle = SessionsOnNodes.WaitForIdlesAsync(a, sessionId, turns);
            (await throughB.PostAsJsonAsync($"/v1/sessions/{sessionId}/events", SessionsOnNodes.Message(text))).EnsureSuccessStatusCode();
            await idle;
        }

        Assert.Equal(2, a.Upstream.Requests.Count);
        Assert.Empty(b.Upstream.Requests);
        Assert.True(a.Service<SessionEngine>().Runs(sessionId));
        Assert.False(b.Service<SessionEngine>().Runs(sessionId));
        var sequences = (await SessionsOnNodes.LogAsync(b, sessionId)).Select(e => e.Sequence).ToList();
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
        var sessionId = await SessionsOnNodes.CreateAsync(a);

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
        var sessionId = await SessionsOnNodes.CreateAsync(a);
        var idle = SessionsOnNodes.WaitForIdlesAsync(a, sessionId, count: 1);
        (await a.Http(a.AlphaKey).PostAsJsonAsync($"/v1/sessions/{sessionId}/events", SessionsOnNodes.Message("slow"))).EnsureSuccessStatusCode();
        await asked.Task.WaitAsync(TestNodes.Patience);

        // The session is running on A: B's startup recovery finds it interrupted in the store, and asks its owner.
        await using var b = await TestNodes.StartAsync(database);
        gate.SetResult();
        await idle;

        var log = await SessionsOnNodes.LogAsync(b, sessionId);
        Assert.DoesNotContain(log, e => e.Event is SessionStatusRescheduledEvent);
        Assert.Single(a.Upstream.Requests);
        Assert.Empty(b.Upstream.Requests);
        Assert.False(b.Service<SessionEngine>().Runs(sessionId));
    }
}
