using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Testing.Providers;
using Lucid.Testing.Server;
using Microsoft.Extensions.Time.Testing;

namespace Lucid.Cluster.Tests.Dreams;

public sealed class DreamOwnershipTests
{
    [Fact]
    public async Task A_dream_runs_once_on_the_node_that_created_it_while_another_node_starts_and_sweeps()
    {
        var database = await TestNodes.DatabaseAsync();
        await using var a = await TestNodes.StartAsync(database);
        var (gate, asked) = GateFirstModelCall(a);
        var dreamId = await CreateDreamAsync(a);
        await asked.Task.WaitAsync(TestNodes.Patience);

        // B's startup recovery and its first sweep find the dream running in the database, and ask its grain, on A.
        await using var b = await TestNodes.StartAsync(database);
        await TestNodes.WaitForEachOtherAsync(a, b);
        gate.SetResult();
        var dream = await WaitForEndAsync(b, dreamId);

        Assert.Equal("completed", (string?)dream["status"]);
        Assert.Equal(2, a.Upstream.Requests.Count);
        Assert.Empty(b.Upstream.Requests);
    }

    [Fact]
    public async Task A_dream_left_running_by_a_node_that_stopped_is_failed_by_another_nodes_sweep()
    {
        var database = await TestNodes.DatabaseAsync();
        var a = await TestNodes.StartAsync(database);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string dreamId;
        await using (var b = await TestNodes.StartAsync(database, time))
        {
            try
            {
                await TestNodes.WaitForEachOtherAsync(a, b);
                var (_, asked) = GateFirstModelCall(a);
                dreamId = await CreateDreamAsync(a);
                await asked.Task.WaitAsync(TestNodes.Patience);
            }
            finally
            {
                await a.DisposeAsync();
            }

            // Nothing runs the dream now; B's next sweep (a minute on its clock) settles it.
            await TestNodes.WaitForMembershipAsync(b, snapshot => TestNodes.Active(snapshot) == 1);
            time.Advance(TimeSpan.FromMinutes(1));
            var dream = await WaitForEndAsync(b, dreamId);

            Assert.Equal("failed", (string?)dream["status"]);
            Assert.Equal("interrupted", (string?)dream["error"]!["type"]);
            Assert.Empty(b.Upstream.Requests);
        }
    }

    [Fact]
    public async Task A_cancel_through_another_node_stops_the_dream_mid_call_on_the_node_running_it()
    {
        var database = await TestNodes.DatabaseAsync();
        await using var a = await TestNodes.StartAsync(database);
        await using var b = await TestNodes.StartAsync(database);
        await TestNodes.WaitForEachOtherAsync(a, b);
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Upstream.Then(async (request, response) =>
        {
            // Never answered: only a cancel that reaches A's runner ends this call.
            asked.TrySetResult();
            await using (response.HttpContext.RequestAborted.Register(aborted.SetResult))
            {
                await Task.Delay(Timeout.Infinite, response.HttpContext.RequestAborted);
            }
        });
        var dreamId = await CreateDreamAsync(a);
        await asked.Task.WaitAsync(TestNodes.Patience);

        using var canceled = await b.Http(b.AlphaKey).PostAsync($"/v1/dreams/{dreamId}/cancel", null);
        canceled.EnsureSuccessStatusCode();
        await aborted.Task.WaitAsync(TestNodes.Patience);

        Assert.Equal("canceled", (string?)(await GetDreamAsync(a, dreamId))["status"]);
        Assert.Single(a.Upstream.Requests);
        Assert.Empty(b.Upstream.Requests);
    }

    // Holds the node's first model call (the dream's reflect stage) until the gate opens, then answers it and the next (curate).
    private static (TaskCompletionSource Gate, TaskCompletionSource Asked) GateFirstModelCall(LucidTestServer node)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Upstream.Then(async (request, response) =>
        {
            asked.TrySetResult();
            await gate.Task.WaitAsync(response.HttpContext.RequestAborted);
            await FakeAnthropicServer.WriteTextAsync(request, response, JsonSerializer.Serialize(new { lessons = Array.Empty<object>() }));
        });
        node.Upstream.ReplyText(JsonSerializer.Serialize(new { operations = Array.Empty<object>() }));
        return (gate, asked);
    }

    private static async Task<string> CreateDreamAsync(LucidTestServer node)
    {
        using var http = node.Http(node.AlphaKey);
        var store = await IdOfAsync(await http.PostAsJsonAsync("/v1/memory_stores", new { name = "Lessons" }));
        using var imported = await http.PostAsync("/v1/lucid/imports/openai-chat", JsonContent.Create(new object[]
        {
            new { role = "user", content = "Book a trip." },
            new { role = "assistant", content = "Booked." },
        }));
        imported.EnsureSuccessStatusCode();
        var session = (string)JsonNode.Parse(await imported.Content.ReadAsStringAsync())!["imported"]![0]!["session_id"]!;
        return await IdOfAsync(await http.PostAsJsonAsync("/v1/dreams", new
        {
            inputs = new object[] { new { type = "memory_store", memory_store_id = store }, new { type = "sessions", session_ids = new[] { session } } },
            model = LucidTestServer.Model,
        }));
    }

    private static async Task<string> IdOfAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return (string)JsonNode.Parse(body)!["id"]!;
    }

    private static async Task<JsonNode> GetDreamAsync(LucidTestServer node, string dreamId) =>
        JsonNode.Parse(await node.Http(node.AlphaKey).GetStringAsync($"/v1/dreams/{dreamId}"))!;

    // Polls the dream until it ends; the cluster's grain calls and the dream's stages run on the real clock.
    private static async Task<JsonNode> WaitForEndAsync(LucidTestServer node, string dreamId)
    {
        using var timeout = new CancellationTokenSource(TestNodes.Patience);
        while (true)
        {
            var dream = await GetDreamAsync(node, dreamId);
            if ((string?)dream["status"] is "completed" or "failed" or "canceled")
            {
                return dream;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }
}
