using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lucid.Agents;
using Lucid.Environments;
using Lucid.Events;
using Lucid.Mcp.Client;
using Lucid.Sessions;
using Lucid.Testing.Mcp;
using Lucid.Testing.Models;
using Lucid.Testing.Storage;
using Microsoft.Extensions.AI;

namespace Lucid.Benchmarks;

/// <summary>
/// What an MCP tool call costs over a built-in one, end to end in the engine (in-memory store, instant model): an agent
/// with the built-in toolset and an MCP server built with the official C# SDK on a loopback port calls, alternately,
/// <c>mcp__local__echo</c> and the built-in <c>glob</c>, so that load on the machine falls on both alike. A call's time
/// runs from the model request that asked for it to the next one, which carries its result: the events committed, the
/// tool run, the conversation rebuilt. Sessions of <c>--per-session</c> pairs keep the conversation short; the first
/// session warms up and is not counted.
/// </summary>
internal static class McpCallOverheadRun
{
    private const string McpTool = "mcp__local__echo";
    private const string BuiltInTool = "glob";

    public static async Task<int> RunAsync(string[] args)
    {
        var calls = ApiLoadRun.Option(args, "--calls", 200);
        var perSession = ApiLoadRun.Option(args, "--per-session", 20);
        await using var server = new InProcessMcpServer();
        await server.StartAsync();
        var directory = Directory.CreateTempSubdirectory("lucid-mcp-bench-").FullName;
        try
        {
            var mcp = new List<double>(calls);
            var builtIn = new List<double>(calls);
            for (var session = -1; mcp.Count < calls; session++)
            {
                var pairs = Math.Min(perSession, calls - mcp.Count);
                var (mcpTimes, builtInTimes) = await RunSessionAsync(server.Url, directory, pairs);
                if (session >= 0)
                {
                    mcp.AddRange(mcpTimes);
                    builtIn.AddRange(builtInTimes);
                }
            }

            if (server.Counted != 0)
            {
                throw new InvalidOperationException("The MCP server's count tool was called; only echo should be.");
            }

            var table = new StringBuilder();
            table.AppendLine("| tool call | calls | p50 | p90 | p99 | mean |");
            table.AppendLine("|---|---:|---:|---:|---:|---:|");
            table.AppendLine(SandboxStartupRun.Row($"built-in `{BuiltInTool}`", builtIn));
            table.AppendLine(SandboxStartupRun.Row($"MCP `{McpTool}` (streamable HTTP, loopback)", mcp));
            Console.WriteLine(table);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"added by MCP: p50 {SandboxStartupRun.Percentile(mcp, 0.50) - SandboxStartupRun.Percentile(builtIn, 0.50):F2} ms, p99 {SandboxStartupRun.Percentile(mcp, 0.99) - SandboxStartupRun.Percentile(builtIn, 0.99):F2} ms"));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // One session whose single turn makes `pairs` MCP calls and as many built-in calls, alternating; returns the time of each, in ms.
    private static async Task<(List<double> Mcp, List<double> BuiltIn)> RunSessionAsync(string url, string directory, int pairs)
    {
        var store = new InMemoryStore();
        var model = new AlternatingClient(pairs);
        await using var engine = new SessionEngine(
            store, new ScriptedModels().With("alternate", model), new SessionEngineOptions { WorkDirectoriesRoot = directory }, mcpConnector: new SdkMcpConnector());
        var agent = await new AgentService(store, store).CreateAsync(
            Workspaces.Default,
            new AgentDefinition
            {
                Name = "caller",
                Model = "alternate",
                McpServers = [new McpUrlServer { Name = "local", Url = url }],
                Tools = [new AgentToolset(), new McpToolset { McpServerName = "local", DefaultConfig = new() { PermissionPolicy = PermissionPolicy.AlwaysAllow } }],
            },
            CancellationToken.None);
        var environment = await new EnvironmentService(store).CreateAsync(Workspaces.Default, "bench", null, null, null, CancellationToken.None);
        var session = await engine.Sessions.CreateAsync(
            Workspaces.Default, new SessionDefinition { AgentId = agent.Value!.Id, EnvironmentId = environment.Value!.Id }, CancellationToken.None);
        var sessionId = session.Value!.Id;

        var sent = await engine.Sessions.SendAsync(Workspaces.Default, sessionId, [new UserMessageEvent { Content = [new TextBlock("Call the tools.")] }], CancellationToken.None);
        await foreach (var e in engine.Events.SubscribeAsync(LogId.Of(sessionId), sent.Value![^1].Sequence, CancellationToken.None))
        {
            if (e.Event is SessionStatusIdleEvent idle)
            {
                if (idle.StopReason.Type != "end_turn")
                {
                    throw new InvalidOperationException($"The turn ended with {idle.StopReason.Type}.");
                }

                break;
            }
        }

        var log = await store.ReadAsync(sessionId, 0, int.MaxValue, CancellationToken.None);
        var errors = log.Select(l => l.Event).Count(e => e is AgentToolResultEvent { IsError: true } or AgentMcpToolResultEvent { IsError: true });
        var mcpResults = log.Select(l => l.Event).OfType<AgentMcpToolResultEvent>().Count();
        if (errors != 0 || mcpResults != pairs)
        {
            throw new InvalidOperationException($"The calls did not all succeed ({errors} errors, {mcpResults} MCP results of {pairs}).");
        }

        return model.Times();
    }

    // Asks for an MCP call, then a built-in one, and so on, answering at once; records when each request arrived.
    private sealed class AlternatingClient(int pairs) : IChatClient
    {
        private readonly List<long> _arrivals = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            _arrivals.Add(Stopwatch.GetTimestamp());
            var results = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Count();
            var message = new ChatMessage(ChatRole.Assistant, (IList<AIContent>)[]);
            if (results < 2 * pairs)
            {
                message.Contents.Add(results % 2 == 0
                    ? new FunctionCallContent($"call_{results}", McpTool, new Dictionary<string, object?> { ["text"] = "hello" })
                    : new FunctionCallContent($"call_{results}", BuiltInTool, new Dictionary<string, object?> { ["pattern"] = "*.txt" }));
            }
            else
            {
                message.Contents.Add(new TextContent("Done."));
            }

            return Task.FromResult(new ChatResponse(message) { Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 1 } });
        }

        // The time of call k is from request k, which asked for it, to request k + 1, which carries its result.
        public (List<double> Mcp, List<double> BuiltIn) Times()
        {
            var mcp = new List<double>();
            var builtIn = new List<double>();
            for (var k = 0; k + 1 < _arrivals.Count; k++)
            {
                (k % 2 == 0 ? mcp : builtIn).Add(Stopwatch.GetElapsedTime(_arrivals[k], _arrivals[k + 1]).TotalMilliseconds);
            }

            return (mcp, builtIn);
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
