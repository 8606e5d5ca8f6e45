using System.Diagnostics;
using System.Text.Json;
using Lucid.Agents;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Telemetry;
using Lucid.Testing.Models;
using Lucid.Testing.Sessions;
using Lucid.Testing.Telemetry;

namespace Lucid.Core.Tests.Telemetry;

public sealed class TurnTelemetryTests
{
    private static object? Tag(Activity span, string name) => span.GetTagItem(name);

    private static Activity Turn(IReadOnlyList<Activity> spans) => Assert.Single(spans, s => s.OperationName == "invoke_agent");

    private static List<Activity> ChildrenOf(Activity parent, IReadOnlyList<Activity> spans, string operation) =>
        [.. spans.Where(s => s.ParentSpanId == parent.SpanId && Tag(s, "gen_ai.operation.name") as string == operation)];

    [Fact]
    public async Task Turn_that_calls_tools_is_one_invoke_agent_span_with_chat_and_execute_tool_children()
    {
        using var traces = new TraceRecorder();
        await using var h = await SessionHarness.StartAsync();
        h.Model
            .CallTool("write", new { file_path = "a.txt", content = "secret-content" })
            .CallTool("read", new { file_path = "missing.txt" })
            .Reply("Done.");

        var events = await h.RunTurnAsync("write a file");

        var spans = await traces.TracesOfAsync(h.Session.Id, turns: 1);
        var turn = Turn(spans);
        Assert.Equal($"invoke_agent {h.Agent.Name}", turn.DisplayName);
        Assert.Equal(h.Session.Id, Tag(turn, "gen_ai.conversation.id"));
        Assert.Equal(h.Agent.Name, Tag(turn, "gen_ai.agent.name"));
        Assert.Equal(h.Agent.Id, Tag(turn, "gen_ai.agent.id"));
        Assert.Equal(SessionHarness.ModelName, Tag(turn, "gen_ai.request.model"));
        Assert.Null(Tag(turn, "lucid.thread.id"));
        Assert.Equal(ActivityStatusCode.Unset, turn.Status);

        Assert.Equal(3, ChildrenOf(turn, spans, "chat").Count);
        var tools = ChildrenOf(turn, spans, "execute_tool");
        Assert.Equal(["write", "read"], tools.Select(t => Tag(t, "gen_ai.tool.name")));
        var uses = events.Select(e => e.Event).OfType<AgentToolUseEvent>().Select(u => u.Id).ToList();
        Assert.Equal(uses, tools.Select(t => Tag(t, "gen_ai.tool.call.id")));
        Assert.Equal("execute_tool write", tools[0].DisplayName);
        Assert.Equal(ActivityStatusCode.Unset, tools[0].Status);
        Assert.Equal(ActivityStatusCode.Error, tools[1].Status);
        Assert.Equal("tool_error", Tag(tools[1], "error.type"));
    }

    [Fact]
    public async Task Thread_turn_gets_its_own_invoke_agent_span_naming_the_thread()
    {
        using var traces = new TraceRecorder();
        var helper = new ScriptedChatClient().Reply("Helped.");
        await using var h = await SessionHarness.StartAsync(
            multiagent: async agents =>
            {
                var created = await agents.CreateAsync(
                    Workspaces.Default, new AgentDefinition { Name = "helper", Model = "scripted/helper", Tools = [new AgentToolset()] }, CancellationToken.None);
                return new MultiagentConfig { PredefinedAgents = [new RosterEntry(created.Value!.Id)] };
            });
        h.Models.With("scripted/helper", helper);
        h.Model
            .CallTool("start_thread", new { agent = "helper", task = "Help." })
            .CallTool("wait_for_threads", new { })
            .Reply("All done.");

        await h.RunTurnAsync("delegate");

        var spans = await traces.TracesOfAsync(h.Session.Id, turns: 2);
        var turns = spans.Where(s => s.OperationName == "invoke_agent").ToList();
        Assert.Equal(2, turns.Count);
        Assert.NotEqual(turns[0].TraceId, turns[1].TraceId);
        var threadTurn = Assert.Single(turns, t => Tag(t, "gen_ai.agent.name") as string == "helper");
        Assert.StartsWith("sthr_", Tag(threadTurn, "lucid.thread.id") as string, StringComparison.Ordinal);
        Assert.Equal("scripted/helper", Tag(threadTurn, "gen_ai.request.model"));
        Assert.Single(ChildrenOf(threadTurn, spans, "chat"));
        var lead = Assert.Single(turns, t => t != threadTurn);
        Assert.Equal(["start_thread", "wait_for_threads"], ChildrenOf(lead, spans, "execute_tool").Select(t => Tag(t, "gen_ai.tool.name")));
    }

    [Fact]
    public async Task Outcome_verdict_is_a_gen_ai_evaluation_result_event_on_the_turn()
    {
        using var traces = new TraceRecorder();
        await using var h = await SessionHarness.StartAsync();
        h.Model.Reply("A poem.").Reply("A better poem.");
        h.Grader
            .Reply(Verdict("needs_revision", "Add a title."))
            .Reply(Verdict("satisfied", "It has a title now."));

        var sent = await h.SendAsync(new UserDefineOutcomeEvent
        {
            Description = "Write a poem.",
            Rubric = OutcomeRubric.Text("- The poem has a title."),
            MaxIterations = 3,
            GraderModel = SessionHarness.GraderModelName,
        });
        await h.WaitForIdleAsync(sent[0].Sequence - 1);

        var turn = Turn(await traces.TracesOfAsync(h.Session.Id, turns: 1));
        var verdicts = turn.Events.Where(e => e.Name == "gen_ai.evaluation.result").ToList();
        Assert.Equal(["needs_revision", "satisfied"], verdicts.Select(v => EventTag(v, "gen_ai.evaluation.score.label")));
        Assert.Equal([0, 1], verdicts.Select(v => EventTag(v, "lucid.outcome.iteration")));
        Assert.All(verdicts, v => Assert.Equal("outcome", EventTag(v, "gen_ai.evaluation.name")));
        Assert.All(verdicts, v => Assert.Null(EventTag(v, "gen_ai.evaluation.explanation")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Message_content_is_on_spans_only_when_opted_in(bool includeContent)
    {
        using var traces = new TraceRecorder();
        await using var h = await SessionHarness.StartAsync(options: new SessionEngineOptions { Telemetry = new TelemetryOptions { IncludeContent = includeContent } });
        h.Model.CallTool("write", new { file_path = "a.txt", content = "secret-argument" }).Reply("secret-reply");

        await h.RunTurnAsync("secret-prompt");

        var spans = await traces.TracesOfAsync(h.Session.Id, turns: 1);
        var everything = string.Join("\n", spans.SelectMany(s => s.TagObjects).Select(t => $"{t.Key}={t.Value}"));
        foreach (var secret in new[] { "secret-prompt", "secret-argument", "secret-reply" })
        {
            Assert.Equal(includeContent, everything.Contains(secret, StringComparison.Ordinal));
        }
    }

    private static object? EventTag(ActivityEvent e, string name) => e.Tags.FirstOrDefault(t => t.Key == name).Value;

    private static string Verdict(string verdict, string explanation) =>
        JsonSerializer.Serialize(new { findings = new[] { new { criterion = "title", evidence = "seen", met = verdict == "satisfied", fix = "Add a title." } }, explanation, verdict });
}
