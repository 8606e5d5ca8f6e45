using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Lucid.Cluster.Tests.Sessions;
using Lucid.Testing.Server;
using Microsoft.Extensions.Time.Testing;

namespace Lucid.Cluster.Tests.Deployments;

public sealed class DeploymentScheduleTests
{
    [Fact]
    public async Task A_schedule_that_both_nodes_run_fires_once_per_tick()
    {
        var database = await TestNodes.DatabaseAsync();
        var start = DateTimeOffset.UtcNow;
        var time = new FakeTimeProvider(start.AddTicks(-(start.Ticks % TimeSpan.TicksPerHour)).AddMinutes(1));
        await using var a = await TestNodes.StartAsync(database, time);
        await using var b = await TestNodes.StartAsync(database, time);
        await TestNodes.WaitForEachOtherAsync(a, b);
        foreach (var node in new[] { a, b })
        {
            for (var i = 0; i < 3; i++)
            {
                node.Upstream.ReplyText("Report written.");
            }
        }

        using var http = a.Http(a.AlphaKey);
        var agent = await SessionsOnNodes.IdOfAsync(await http.PostAsJsonAsync("/v1/agents", new { name = "reporter", model = LucidTestServer.Model }));
        var environment = await SessionsOnNodes.IdOfAsync(await http.PostAsJsonAsync("/v1/environments", new { name = "local" }));
        var deployment = await SessionsOnNodes.IdOfAsync(await http.PostAsJsonAsync("/v1/deployments", new
        {
            name = "report",
            agent,
            environment_id = environment,
            initial_events = new[] { new { type = "user.message", content = new[] { new { type = "text", text = "Write the report." } } } },
            schedule = new { expression = "*/5 * * * *", timezone = "UTC" },
        }));

        // Three ticks, each seen by both nodes' schedulers.
        for (var tick = 1; tick <= 3; tick++)
        {
            time.Advance(TimeSpan.FromMinutes(5));
            await WaitForRunsAsync(b, deployment, tick);
        }

        // Time for a second claim of the last tick to show, if one were made.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var runs = await RunsAsync(b, deployment);
        Assert.Equal(3, runs.Count);
        Assert.Equal(3, runs.Select(r => (string?)r["trigger_context"]!["scheduled_at"]).Distinct().Count());
        Assert.All(runs, r => Assert.NotNull((string?)r["session_id"]));
        var sessions = JsonNode.Parse(await http.GetStringAsync($"/v1/sessions?deployment_id={deployment}"))!["data"]!.AsArray();
        Assert.Equal(3, sessions.Count);
    }

    private static async Task<List<JsonNode>> RunsAsync(LucidTestServer node, string deployment) =>
        [.. JsonNode.Parse(await node.Http(node.AlphaKey).GetStringAsync($"/v1/deployment_runs?deployment_id={deployment}"))!["data"]!.AsArray().Select(r => r!)];

    // The schedulers run on their own tasks: a tick's run appears after the clock moves (bounded by the cluster's patience).
    private static async Task WaitForRunsAsync(LucidTestServer node, string deployment, int atLeast)
    {
        using var timeout = new CancellationTokenSource(TestNodes.Patience);
        while ((await RunsAsync(node, deployment)) is var runs && !(runs.Count >= atLeast && runs.All(r => r["session_id"] is not null || r["error"] is not null)))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }
}
