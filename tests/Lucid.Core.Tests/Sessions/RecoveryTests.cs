using System.Text.Json;
using Lucid.Agents;
using Lucid.Events;
using Lucid.Mcp;
using Lucid.Mcp.Client;
using Lucid.Outcomes;
using Lucid.Sessions;
using Lucid.Testing.Mcp;
using Lucid.Testing.Models;
using Lucid.Testing.Sessions;
using Microsoft.Extensions.AI;

namespace Lucid.Core.Tests.Sessions;

/// <summary>A new engine over the store of one that died mid-turn picks the turn up where the log stops.</summary>
public sealed class RecoveryTests
{
    private static int _ids;

    private static T Stamp<T>(T e)
        where T : SessionEvent => e with { Id = $"sevt_crash{Interlocked.Increment(ref _ids):D6}", ProcessedAt = DateTimeOffset.UnixEpoch };

    // The log a process leaves when it dies while running a tool: the call is logged, its result never was.
    private static Task<string> CrashMidToolAsync(SessionHarness h) => CrashMidCallAsync(
        h, "append a line to side-effect.txt", new AgentToolUseEvent { Name = "bash", Input = JsonSerializer.SerializeToElement(new { command = "echo once >> side-effect.txt" }), EvaluatedPermission = ToolPermissions.Allow });

    private static async Task<string> CrashMidCallAsync(SessionHarness h, string request, SessionEvent call)
    {
        var use = Stamp(call);
        var start = Stamp(new SpanModelRequestStartEvent { Model = SessionHarness.ModelName });
        await h.Store.AppendAsync(h.Session.Id,
        [
            Stamp(new UserMessageEvent { Content = [new TextBlock(request)] }),
            Stamp(new SessionStatusRunningEvent()),
            start,
            Stamp(new SpanModelRequestEndEvent { ModelRequestStartId = start.Id }),
            use,
        ], CancellationToken.None);
        return use.Id;
    }

    [Fact]
    public async Task A_session_that_died_mid_tool_call_is_rescheduled_and_told_the_call_outcome_is_unknown()
    {
        await using var crashed = await SessionHarness.StartAsync();
        var toolUseId = await CrashMidToolAsync(crashed);
        var model = new ScriptedChatClient().Reply("I will check side-effect.txt before running it again.");
        await using var restarted = new SessionEngine(crashed.Store, new ScriptedModels().With(SessionHarness.ModelName, model), new SessionEngineOptions { WorkDirectoriesRoot = Path.GetTempPath() });
        var before = (await crashed.LogAsync()).Count;

        var recovered = await restarted.RecoverAsync(CancellationToken.None);
        var events = await FollowToIdleAsync(restarted, crashed.Session.Id, before);

        Assert.Equal(1, recovered);
        AssertToldOutcomeIsUnknown(events, "agent.tool_result", toolUseId);
        Assert.False(File.Exists(Path.Combine(crashed.WorkDirectory, "side-effect.txt")));
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool], model.Requests[0].Messages.Select(m => m.Role));
        Assert.Equal(SessionStatus.Idle, (await crashed.ReloadAsync()).Status);
        var log = await crashed.LogAsync();
        Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), log.Select(e => e.Sequence));
    }

    [Fact]
    public async Task An_mcp_call_cut_off_by_the_crash_gets_an_unknown_outcome_result_and_is_not_made_again()
    {
        await using var server = new InProcessMcpServer();
        await server.StartAsync();
        await using var crashed = await SessionHarness.StartAsync(
            tools: [new McpToolset { McpServerName = "local" }], mcpServers: [new McpUrlServer { Name = "local", Url = server.Url }]);
        var toolUseId = await CrashMidCallAsync(
            crashed, "count once", new AgentMcpToolUseEvent { McpServerName = "local", Name = "count", Input = JsonSerializer.SerializeToElement(new { }), EvaluatedPermission = ToolPermissions.Allow });
        var model = new ScriptedChatClient().Reply("I will check whether it counted before calling it again.");
        await using var restarted = new SessionEngine(
            crashed.Store, new ScriptedModels().With(SessionHarness.ModelName, model), new SessionEngineOptions { WorkDirectoriesRoot = Path.GetTempPath() }, mcpConnector: new SdkMcpConnector());
        var before = (await crashed.LogAsync()).Count;

        Assert.Equal(1, await restarted.RecoverAsync(CancellationToken.None));
        var events = await FollowToIdleAsync(restarted, crashed.Session.Id, before);

        Assert.Equal(0, server.Counted);
        AssertToldOutcomeIsUnknown(events, "agent.mcp_tool_result", toolUseId);
        // The server was reachable after the restart (its tools were offered), so its count of 0 means the call was not made again.
        Assert.Contains(McpToolNames.For("local", "count"), model.Requests[0].Options?.Tools?.Select(t => t.Name) ?? []);
        var (call, answer) = (model.Requests[0].Messages[1].Contents.OfType<FunctionCallContent>().Single(), model.Requests[0].Messages[2].Contents.OfType<FunctionResultContent>().Single());
        Assert.Equal((toolUseId, toolUseId), (call.CallId, answer.CallId));
    }

    [Fact]
    public async Task A_model_request_cut_off_by_the_crash_is_closed_and_made_again()
    {
        await using var crashed = await SessionHarness.StartAsync();
        var start = Stamp(new SpanModelRequestStartEvent { Model = SessionHarness.ModelName });
        await crashed.Store.AppendAsync(crashed.Session.Id,
            [Stamp(new UserMessageEvent { Content = [new TextBlock("hi")] }), Stamp(new SessionStatusRunningEvent()), start], CancellationToken.None);
        var model = new ScriptedChatClient().Reply("hello");
        await using var restarted = new SessionEngine(crashed.Store, new ScriptedModels().With(SessionHarness.ModelName, model), new SessionEngineOptions { WorkDirectoriesRoot = Path.GetTempPath() });

        await restarted.RecoverAsync(CancellationToken.None);
        var events = await FollowToIdleAsync(restarted, crashed.Session.Id, 3);

        var closed = (SpanModelRequestEndEvent)events[2].Event;
        Assert.Equal((start.Id, true), (closed.ModelRequestStartId, closed.IsError));
        Assert.Equal("hello", events.Select(e => e.Event).OfType<AgentMessageEvent>().Single().Content.OfType<TextBlock>().Single().Text);
    }

    [Fact]
    public async Task A_grading_cut_off_by_the_crash_is_done_again_without_another_worker_turn()
    {
        await using var crashed = await SessionHarness.StartAsync();
        var outcome = Stamp(new UserDefineOutcomeEvent { OutcomeId = "outc_crash", Description = "say hi", Rubric = OutcomeRubric.Text("- says hi"), GraderModel = SessionHarness.GraderModelName });
        await crashed.Store.AppendAsync(crashed.Session.Id,
        [
            outcome,
            Stamp(new SessionStatusRunningEvent()),
            Stamp(new AgentMessageEvent { Content = [new TextBlock("hi")] }),
            Stamp(new SpanOutcomeEvaluationStartEvent { OutcomeId = "outc_crash", Iteration = 0 }),
        ], CancellationToken.None);
        var worker = new ScriptedChatClient();
        var grader = new ScriptedChatClient().Reply("""{"findings":[],"explanation":"It says hi.","verdict":"satisfied"}""");
        await using var restarted = new SessionEngine(crashed.Store, new ScriptedModels().With(SessionHarness.ModelName, worker).With(SessionHarness.GraderModelName, grader), new SessionEngineOptions { WorkDirectoriesRoot = Path.GetTempPath() });

        await restarted.RecoverAsync(CancellationToken.None);
        var events = await FollowToIdleAsync(restarted, crashed.Session.Id, 4);

        Assert.Empty(worker.Requests);
        Assert.Contains("hi", grader.Requests.Single().AllText, StringComparison.Ordinal);
        Assert.Equal(OutcomeResult.Satisfied, events.Select(e => e.Event).OfType<SpanOutcomeEvaluationEndEvent>().Single().Result);
        Assert.Equal(OutcomeResult.Satisfied, (await crashed.ReloadAsync()).OutcomeEvaluations.Single().Result);
    }

    [Fact]
    public async Task Idle_sessions_are_left_alone()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.Reply("done");
        await h.RunTurnAsync("hi");
        await using var restarted = new SessionEngine(h.Store, new ScriptedModels());

        Assert.Equal(0, await restarted.RecoverAsync(CancellationToken.None));
    }

    // A recovered turn that first answers the cut-off call with an error saying its outcome is unknown, then asks the model.
    private static void AssertToldOutcomeIsUnknown(List<LoggedEvent> events, string resultType, string toolUseId)
    {
        Assert.Equal(
            ["session.status_rescheduled", "session.status_running", resultType, "span.model_request_start", "span.model_request_end", "agent.message", "session.usage", "session.status_idle"],
            events.Select(e => e.Event.Type));
        var (useId, isError, content) = events[2].Event switch
        {
            AgentToolResultEvent r => (r.ToolUseId, r.IsError, r.Content),
            AgentMcpToolResultEvent r => (r.McpToolUseId, r.IsError, r.Content),
            var e => throw new InvalidOperationException($"{e.Type} is not a tool result."),
        };
        Assert.Equal((toolUseId, true), (useId, isError));
        Assert.Contains("outcome is unknown", content.OfType<TextBlock>().Single().Text, StringComparison.Ordinal);
    }

    private static async Task<List<LoggedEvent>> FollowToIdleAsync(SessionEngine engine, string sessionId, long after)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<LoggedEvent>();
        await foreach (var e in engine.Events.SubscribeAsync(LogId.Of(sessionId), after, timeout.Token))
        {
            events.Add(e);
            if (e.Event is SessionStatusIdleEvent)
            {
                return events;
            }
        }

        return events;
    }
}
