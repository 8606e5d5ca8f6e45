using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Lucid.Evals;
using Lucid.Storage;
using Lucid.Testing.Server;

namespace Lucid.Cluster.Tests.Evals;

public sealed class EvalOwnershipTests
{
    [Fact]
    public async Task A_starting_node_leaves_the_eval_run_another_node_runs_and_fails_the_one_no_node_runs()
    {
        var database = await TestNodes.DatabaseAsync();
        await using var a = await TestNodes.StartAsync(database);
        var asked = HoldModelCalls(a);
        var runId = await CreateRunAsync(a);
        await asked.Task.WaitAsync(TestNodes.Patience);

        // A copy of the run, stored running, that no node runs: what a node that died mid-run leaves behind.
        var store = a.Service<ILucidStore>();
        var running = await store.GetEvalRunAsync(runId, CancellationToken.None);
        var orphan = running! with { Id = "evalrun_orphan", Status = EvalRunStatus.Running };
        await store.CreateEvalRunAsync(orphan, CancellationToken.None);

        // B's startup recovery finds both running in the database, and asks each run's grain: A's is active on A.
        await using var b = await TestNodes.StartAsync(database);

        var kept = await store.GetEvalRunAsync(runId, CancellationToken.None);
        var failed = await store.GetEvalRunAsync(orphan.Id, CancellationToken.None);
        Assert.Equal(EvalRunStatus.Running, kept!.Status);
        Assert.Null(kept.Error);
        Assert.Equal(EvalRunStatus.Failed, failed!.Status);
        Assert.Equal("The server stopped while the run was under way; create it again.", failed.Error);
        Assert.Empty(b.Upstream.Requests);
    }

    // Holds every model call of the node (the trial's agent turn) until the call is cut off.
    private static TaskCompletionSource HoldModelCalls(LucidTestServer node)
    {
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Upstream.Then(async (_, response) =>
        {
            asked.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, response.HttpContext.RequestAborted);
        });
        return asked;
    }

    private static async Task<string> CreateRunAsync(LucidTestServer node)
    {
        using var http = node.Http(node.AlphaKey);
        using var response = await http.PostAsJsonAsync("/v1/lucid/evals", new
        {
            name = "greeting",
            agent = new { name = "worker", model = LucidTestServer.Model },
            trials = 1,
            arms = new object[] { new { name = "none" } },
            tasks = new object[] { new { id = "t0", prompt = "Say hello.", rubric = "The answer greets the user." } },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return (string)JsonNode.Parse(body)!["id"]!;
    }
}
