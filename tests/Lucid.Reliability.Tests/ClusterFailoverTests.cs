using System.Diagnostics;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Testing.Providers;
using Lucid.Testing.Server;
using Lucid.Testing.Storage;
using Xunit.Abstractions;

namespace Lucid.Reliability.Tests;

/// <summary>
/// Three real <c>lucid serve</c> processes on one PostgreSQL database. Each round a session's turn calls <c>bash</c> on
/// the node that owns it; that node is SIGKILLed while the tool runs. A client streaming from a surviving node must see
/// the session rescheduled on a survivor and finish, with every event of its log once, in order; the cut-off tool call
/// is answered as cut off, never run again. A new node then replaces the dead one, so every round has three nodes.
/// </summary>
public sealed class ClusterFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Kills = 10;

    // Membership runs on the real clock: this bounds each wait, it never paces the test.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly FakeOpenAIServer _model = new();
    private readonly List<string> _homes = [];
    private string _database = "";

    public async Task InitializeAsync()
    {
        await _model.StartAsync();
        // Every turn: one bash call that outlasts the kill; once the tool's result is in (the cut-off error), an answer.
        var calls = 0;
        _model.Fallback = (request, response) =>
        {
            var messages = request.Json?["messages"]?.AsArray();
            return messages?[^1]?["role"]?.GetValue<string>() == "tool"
                ? FakeOpenAIServer.WriteTextAsync(request, response, "Done.")
                : FakeOpenAIServer.WriteToolCallAsync(request, response, $"call_{Interlocked.Increment(ref calls)}", "bash", new { command = "sleep 60" });
        };
        _database = await (await PostgresServer.Shared).CreateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        await _model.DisposeAsync();
        foreach (var home in _homes)
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Killing_the_node_that_runs_a_tool_call_reschedules_the_session_on_a_survivor_and_loses_nothing()
    {
        var nodes = new Task<LucidNodeProcess>[3];
        var failover = new List<TimeSpan>();
        try
        {
            // The first node creates the schema and prints the key; the others join the database it set up.
            nodes[0] = StartNodeAsync();
            var first = await nodes[0];
            var key = first.PrintedKey ?? throw new InvalidOperationException("The first node printed no API key.");
            (nodes[1], nodes[2]) = (StartNodeAsync(), StartNodeAsync());
            string agent;
            string environment;
            using (var http = first.Http(key))
            {
                agent = await PostAsync(http, "/v1/agents", """{"name":"failover","model":"openai/test","tools":[{"type":"agent_toolset_20260401"}]}""");
                environment = await PostAsync(http, "/v1/environments", """{"name":"failover"}""");
            }

            for (var round = 0; round < Kills; round++)
            {
                var owner = await nodes[round % 3];
                var watcher = await nodes[(round + 1) % 3];
                try
                {
                    failover.Add(await KillOwnerMidToolCallAsync(owner, watcher, key, agent, environment, round + 1));
                }
                catch
                {
                    // What each node logged tells why a round failed.
                    foreach (var node in nodes.Where(start => start.IsCompletedSuccessfully).Select(start => start.Result).Prepend(owner).Distinct())
                    {
                        output.WriteLine($"--- node :{node.NodePort}, last lines ---\n{string.Join("\n", node.Output.TakeLast(60))}");
                    }

                    throw;
                }

                await owner.DisposeAsync();
                // A new node takes the dead one's place; it joins while the next round runs on the other two.
                nodes[round % 3] = StartNodeAsync();
            }
        }
        finally
        {
            foreach (var start in nodes.Where(start => start is not null))
            {
                try
                {
                    await (await start).DisposeAsync();
                }
                catch (InvalidOperationException)
                {
                    // A node that failed to start was disposed by its start, and that failure is the test's.
                }
            }
        }

        var sorted = failover.Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Kills} kills; failover (SIGKILL to session.status_rescheduled seen by a client of a survivor): min {sorted[0].TotalSeconds:F1} s, median {sorted[sorted.Count / 2].TotalSeconds:F1} s, max {sorted[^1].TotalSeconds:F1} s"));
        Assert.Equal(Kills, failover.Count);
    }

    // One round: the session's turn is in its bash call on `owner` when it dies; a client of `watcher` follows it through.
    private async Task<TimeSpan> KillOwnerMidToolCallAsync(LucidNodeProcess owner, LucidNodeProcess watcher, string key, string agent, string environment, int round)
    {
        using var patience = new CancellationTokenSource(Patience);
        using var ownerHttp = owner.Http(key);
        using var watcherHttp = watcher.Http(key);
        // The node that creates a session owns it.
        var sessionId = await PostAsync(ownerHttp, "/v1/sessions", $$"""{"agent":"{{agent}}","environment_id":"{{environment}}"}""");
        var requestsBefore = _model.Requests.Count;
        var seen = new List<(long Sequence, string Id, string Type)>();
        var toolCalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var rescheduled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var follow = FollowUntilIdleAsync(watcherHttp, sessionId, seen, toolCalled, rescheduled, patience.Token);
        await PostAsync(ownerHttp, $"/v1/sessions/{sessionId}/events", """{"events":[{"type":"user.message","content":[{"type":"text","text":"run the step"}]}]}""");
        await toolCalled.Task.WaitAsync(patience.Token);

        var clock = Stopwatch.StartNew();
        await owner.KillAsync();
        await rescheduled.Task.WaitAsync(patience.Token);
        var failover = clock.Elapsed;
        await follow;

        // Every event of the log reached the client of the survivor once, in order, and nothing else did.
        var log = await ListEventsAsync(watcherHttp, sessionId);
        Assert.Equal(Enumerable.Range(1, seen.Count).Select(n => (long)n), seen.Select(e => e.Sequence));
        Assert.Equal(log.Select(e => e.Id), seen.Select(e => e.Id));
        Assert.Equal(seen.Count, seen.Select(e => e.Id).Distinct().Count());

        // Rescheduled once; the tool call cut off by the kill is answered as cut off and not run again; the turn finished.
        Assert.Single(log, e => e.Type == "session.status_rescheduled");
        Assert.Single(log, e => e.Type == "agent.tool_use");
        var result = Assert.Single(log, e => e.Type == "agent.tool_result");
        Assert.True(result.Json["is_error"]?.GetValue<bool>() ?? false, $"the cut-off call's result is not an error: {result.Json.ToJsonString()}");
        Assert.Contains("outcome is unknown", result.Json.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(2, _model.Requests.Count - requestsBefore);
        Assert.Equal("idle", (await GetAsync(watcherHttp, $"/v1/sessions/{sessionId}"))["status"]?.GetValue<string>());

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kill {round}: node :{owner.NodePort} killed in the session's bash call; rescheduled {failover.TotalSeconds:F1} s later; finished; {seen.Count} events streamed from node :{watcher.NodePort}, as in the log"));
        return failover;
    }

    private async Task<LucidNodeProcess> StartNodeAsync()
    {
        var home = Directory.CreateTempSubdirectory("lucid-node-").FullName;
        lock (_homes)
        {
            _homes.Add(home);
        }

        var environment = new Dictionary<string, string> { ["OPENAI_API_KEY"] = "sk-local", ["OPENAI_BASE_URL"] = _model.ApiBaseUrl };
        return await LucidNodeProcess.StartAsync(
            new LucidNodeSettings(Path.Combine(AppContext.BaseDirectory, "lucid.dll"), home, _database) { Environment = environment },
            CancellationToken.None);
    }

    // Streams the session from its first event; records every event; returns at the first idle after the reschedule.
    private static async Task FollowUntilIdleAsync(
        HttpClient http, string sessionId, List<(long Sequence, string Id, string Type)> seen, TaskCompletionSource toolCalled, TaskCompletionSource rescheduled, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{sessionId}/events/stream");
        request.Headers.Add("Last-Event-ID", "0");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            if (item.EventType == "ping")
            {
                continue;
            }

            var id = JsonDocument.Parse(item.Data).RootElement.GetProperty("id").GetString() ?? "";
            seen.Add((long.Parse(item.EventId ?? "0", CultureInfo.InvariantCulture), id, item.EventType));
            if (item.EventType == "agent.tool_use")
            {
                toolCalled.TrySetResult();
            }
            else if (item.EventType == "session.status_rescheduled")
            {
                rescheduled.TrySetResult();
            }
            else if (item.EventType == "session.status_idle" && rescheduled.Task.IsCompleted)
            {
                return;
            }
        }

        throw new InvalidOperationException($"The stream of {sessionId} ended before the session went idle again.");
    }

    private static async Task<List<(string Id, string Type, JsonObject Json)>> ListEventsAsync(HttpClient http, string sessionId)
    {
        var events = new List<(string, string, JsonObject)>();
        string? page = null;
        do
        {
            var listed = await GetAsync(http, $"/v1/sessions/{sessionId}/events?limit=100{(page is null ? "" : $"&page={page}")}");
            foreach (var e in listed["data"]!.AsArray())
            {
                events.Add(((string)e!["id"]!, (string)e["type"]!, e.AsObject()));
            }

            page = listed["next_page"]?.GetValue<string>();
        }
        while (page is not null);
        return events;
    }

    private static async Task<JsonNode> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    private static async Task<string> PostAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)?["id"]?.GetValue<string>() ?? "";
    }
}
