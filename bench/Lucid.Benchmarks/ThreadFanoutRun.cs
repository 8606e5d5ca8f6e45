using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lucid.Agents;
using Lucid.Environments;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Storage.Sqlite;
using Lucid.Testing.Models;
using Microsoft.Extensions.AI;

namespace Lucid.Benchmarks;

/// <summary>
/// Fan-out through threads, end to end in the engine (SQLite store, fsync per commit): a lead agent on an instant model
/// starts N inline threads whose model takes a fixed latency per call, then waits for all of them. Wall time is from
/// the user's message to the lead's idle. Compared with one thread, and with the same N threads started and awaited one
/// at a time, which is what a lead without parallel threads would pay.
/// </summary>
internal static class ThreadFanoutRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var threads = ApiLoadRun.Option(args, "--threads", 8);
        var latency = TimeSpan.FromMilliseconds(ApiLoadRun.Option(args, "--latency-ms", 500));
        var runs = ApiLoadRun.Option(args, "--runs", 5);
        var table = new StringBuilder();
        table.AppendLine("| scenario | threads | model latency | wall time (median) | min | max | vs one thread |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        double? one = null;
        foreach (var (name, count, sequential) in new[] { ("one thread", 1, false), ("parallel threads", threads, false), ("same threads, one at a time", threads, true) })
        {
            var times = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                times.Add((await RunOnceAsync(count, sequential, latency)).TotalMilliseconds);
            }

            times.Sort();
            var median = times[times.Count / 2];
            one ??= median;
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {count} | {latency.TotalMilliseconds:F0} ms | {median:F0} ms | {times[0]:F0} ms | {times[^1]:F0} ms | {median / one.Value:F2}× |");
        }

        Console.WriteLine(table);
        return 0;
    }

    private static async Task<TimeSpan> RunOnceAsync(int threads, bool sequential, TimeSpan latency)
    {
        var directory = Directory.CreateTempSubdirectory("lucid-fanout-").FullName;
        try
        {
            await using var store = await SqliteStore.OpenAsync(Path.Combine(directory, "lucid.db"), CancellationToken.None);
            var models = new ScriptedModels().With("lead", new LeadClient(threads, sequential)).With("slow", new SlowClient(latency));
            await using var engine = new SessionEngine(store, models, new SessionEngineOptions { WorkDirectoriesRoot = directory, MaxLiveThreads = Math.Max(16, threads) });
            var agent = await new AgentService(store, store).CreateAsync(
                Workspaces.Default, new AgentDefinition { Name = "lead", Model = "lead", Multiagent = new MultiagentConfig() }, CancellationToken.None);
            var environment = await new EnvironmentService(store).CreateAsync(Workspaces.Default, "bench", null, null, null, CancellationToken.None);
            var session = await engine.Sessions.CreateAsync(
                Workspaces.Default, new SessionDefinition { AgentId = agent.Value!.Id, EnvironmentId = environment.Value!.Id }, CancellationToken.None);
            var sessionId = session.Value!.Id;

            var clock = Stopwatch.StartNew();
            var sent = await engine.Sessions.SendAsync(Workspaces.Default, sessionId, [new UserMessageEvent { Content = [new TextBlock("Fan out.")] }], CancellationToken.None);
            await foreach (var e in engine.Events.SubscribeAsync(LogId.Of(sessionId), sent.Value![^1].Sequence, CancellationToken.None))
            {
                if (e.Event is SessionStatusIdleEvent idle)
                {
                    clock.Stop();
                    var answered = (await store.ReadAsync(sessionId, 0, int.MaxValue, CancellationToken.None)).Select(l => l.Event).OfType<AgentToolResultEvent>()
                        .Count(r => string.Concat(r.Content.OfType<TextBlock>().Select(b => b.Text)).Contains("status=\"answered\"", StringComparison.Ordinal));
                    if (idle.StopReason.Type != "end_turn" || answered != (sequential ? threads : 1))
                    {
                        throw new InvalidOperationException($"The lead's turn did not end as planned ({idle.StopReason.Type}, {answered} waits answered).");
                    }

                    break;
                }
            }

            return clock.Elapsed;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    // The lead answers at once: it starts its threads (all in one response, or one per response when sequential),
    // waits, and finishes; what it does next depends only on how many tool results it has seen.
    private sealed class LeadClient(int threads, bool sequential) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var results = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Count();
            var message = new ChatMessage(ChatRole.Assistant, (IList<AIContent>)[]);
            if (!sequential && results == 0)
            {
                for (var i = 0; i < threads; i++)
                {
                    message.Contents.Add(Start(i));
                }
            }
            else if (!sequential && results == threads)
            {
                message.Contents.Add(Call("wait_for_threads", []));
            }
            else if (sequential && results < 2 * threads)
            {
                message.Contents.Add(results % 2 == 0 ? Start(results / 2) : Call("wait_for_threads", []));
            }
            else
            {
                message.Contents.Add(new TextContent("All done."));
            }

            return Task.FromResult(new ChatResponse(message) { Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 1 } });
        }

        private static FunctionCallContent Start(int i) => Call("start_thread", new Dictionary<string, object?>
        {
            ["task"] = $"Part {i} of the job.",
            ["inline_agent"] = System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["name"] = $"worker-{i}", ["model"] = "slow" }),
        });

        private static FunctionCallContent Call(string name, Dictionary<string, object?> arguments) => new($"call_{Guid.NewGuid():N}", name, arguments);

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    // A worker model that takes a fixed time per call, like a remote model would.
    private sealed class SlowClient(TimeSpan latency) : IChatClient
    {
        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            await Task.Delay(latency, cancellationToken);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "My part is done.")) { Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 1 } };
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
