using System.Text.Json;
using Lucid.Agents;
using Lucid.Events;
using Lucid.Models;
using Lucid.Sessions;
using Lucid.Testing.Sessions;
using Microsoft.Extensions.AI;

namespace Lucid.Core.Tests.Sessions;

public sealed class SessionRunnerTests
{
    private static readonly JsonElement EmptySchema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""").RootElement;

    private static string[] Types(IEnumerable<LoggedEvent> events) => [.. events.Select(e => e.Event.Type)];

    private static string Text(IReadOnlyList<ContentBlock> content) => string.Concat(content.OfType<TextBlock>().Select(b => b.Text));

    [Fact]
    public async Task Plain_reply_records_running_spans_message_and_idle_with_usage()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.Reply("Hello there.");

        var events = await h.RunTurnAsync("hi");

        Assert.Equal(
            ["session.status_running", "span.model_request_start", "span.model_request_end", "agent.message", "session.usage", "session.status_idle"],
            Types(events));
        Assert.Equal("Hello there.", Text(((AgentMessageEvent)events[3].Event).Content));
        Assert.Equal("end_turn", ((SessionStatusIdleEvent)events[^1].Event).StopReason.Type);
        var end = (SpanModelRequestEndEvent)events[2].Event;
        Assert.Equal(events[1].Event.Id, end.ModelRequestStartId);
        var session = await h.ReloadAsync();
        Assert.Equal(SessionStatus.Idle, session.Status);
        Assert.Equal(10, session.Usage.InputTokens);
        Assert.Equal(5, session.Usage.OutputTokens);
        Assert.StartsWith("sevt_", events[0].Event.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Multi_step_tool_loop_runs_tools_until_the_model_stops()
    {
        await using var h = await SessionHarness.StartAsync(system: "You are careful.");
        h.Model
            .CallTool("write", new { file_path = "notes/plan.md", content = "step one" })
            .CallTools("Let me check.", ("read", new { file_path = "notes/plan.md" }), ("bash", new { command = "echo $((6*7))" }))
            .Reply("Done: the plan is written.");

        var events = await h.RunTurnAsync("write a plan");

        Assert.Equal("step one", await File.ReadAllTextAsync(Path.Combine(h.WorkDirectory, "notes", "plan.md")));
        var uses = events.Select(e => e.Event).OfType<AgentToolUseEvent>().ToList();
        Assert.Equal(["write", "read", "bash"], uses.Select(u => u.Name));
        Assert.All(uses, u => Assert.Equal(ToolPermissions.Allow, u.EvaluatedPermission));
        var results = events.Select(e => e.Event).OfType<AgentToolResultEvent>().ToList();
        Assert.Equal(uses.Select(u => u.Id), results.Select(r => r.ToolUseId));
        Assert.All(results, r => Assert.False(r.IsError, Text(r.Content)));
        Assert.Contains("step one", Text(results[1].Content), StringComparison.Ordinal);
        Assert.Contains("42", Text(results[2].Content), StringComparison.Ordinal);
        Assert.Equal(3, events.Count(e => e.Event is SpanModelRequestStartEvent));
        Assert.Equal("Done: the plan is written.", Text(events.Select(e => e.Event).OfType<AgentMessageEvent>().Last().Content));

        // The third request shows the model the system prompt, both calls of the second step and their results, in order.
        var third = h.Model.Requests[2];
        Assert.Equal(ChatRole.System, third.Messages[0].Role);
        Assert.Equal(
            [ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant, ChatRole.Tool],
            third.Messages.Select(m => m.Role));
        Assert.Equal(2, third.Messages[^1].Contents.OfType<FunctionResultContent>().Count());
        Assert.Equal(30, (await h.ReloadAsync()).Usage.InputTokens);
    }

    [Fact]
    public async Task Always_ask_waits_for_confirmation_then_runs_the_tool_when_allowed()
    {
        var tools = new AgentTool[] { new AgentToolset { Configs = [new ToolConfig { Name = "write", PermissionPolicy = PermissionPolicy.AlwaysAsk }] } };
        await using var h = await SessionHarness.StartAsync(tools);
        h.Model.CallTool("write", new { file_path = "a.txt", content = "yes" }).Reply("Written.");

        var first = await h.RunTurnAsync("write a.txt");

        var use = Assert.IsType<AgentToolUseEvent>(first.Single(e => e.Event is AgentToolUseEvent).Event);
        Assert.Equal(ToolPermissions.Ask, use.EvaluatedPermission);
        var idle = Assert.IsType<SessionStatusIdleEvent>(first[^1].Event);
        Assert.Equal("requires_action", idle.StopReason.Type);
        Assert.Equal([use.Id], idle.StopReason.EventIds);
        Assert.False(File.Exists(Path.Combine(h.WorkDirectory, "a.txt")));

        var sent = await h.SendAsync(new UserToolConfirmationEvent { ToolUseId = use.Id, Result = ToolConfirmationResult.Allow });
        var second = await h.WaitForIdleAsync(sent[^1].Sequence);

        Assert.Equal("yes", await File.ReadAllTextAsync(Path.Combine(h.WorkDirectory, "a.txt")));
        var result = Assert.IsType<AgentToolResultEvent>(second.Single(e => e.Event is AgentToolResultEvent).Event);
        Assert.Equal(use.Id, result.ToolUseId);
        Assert.False(result.IsError);
        Assert.Equal("end_turn", ((SessionStatusIdleEvent)second[^1].Event).StopReason.Type);
    }

    [Fact]
    public async Task Always_ask_denied_tells_the_model_why_and_does_not_run_the_tool()
    {
        var tools = new AgentTool[] { new AgentToolset { DefaultConfig = new ToolsetDefaultConfig { PermissionPolicy = PermissionPolicy.AlwaysAsk } } };
        await using var h = await SessionHarness.StartAsync(tools);
        h.Model.CallTool("bash", new { command = "touch touched" }).Reply("Understood, I will not.");

        var first = await h.RunTurnAsync("touch a file");
        var use = (AgentToolUseEvent)first.Single(e => e.Event is AgentToolUseEvent).Event;
        var sent = await h.SendAsync(new UserToolConfirmationEvent { ToolUseId = use.Id, Result = ToolConfirmationResult.Deny, DenyMessage = "no writes today" });
        var second = await h.WaitForIdleAsync(sent[^1].Sequence);

        Assert.False(File.Exists(Path.Combine(h.WorkDirectory, "touched")));
        var result = (AgentToolResultEvent)second.Single(e => e.Event is AgentToolResultEvent).Event;
        Assert.True(result.IsError);
        Assert.Contains("no writes today", Text(result.Content), StringComparison.Ordinal);
        Assert.Contains("no writes today", h.Model.Requests[1].AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Confirmation_for_an_unknown_tool_use_is_refused_and_nothing_is_logged()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.Reply("ok");
        await h.RunTurnAsync("hi");
        var before = (await h.LogAsync()).Count;

        var result = await h.Sessions.SendAsync(Workspaces.Default, h.Session.Id, [new UserToolConfirmationEvent { ToolUseId = "sevt_nope", Result = ToolConfirmationResult.Allow }], CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal("event.tool_use_id", result.Error.Field);
        Assert.Equal(before, (await h.LogAsync()).Count);
    }

    [Fact]
    public async Task Custom_tool_round_trip_goes_idle_then_continues_with_the_client_result()
    {
        var tools = new AgentTool[] { new CustomToolDefinition { Name = "get_weather", Description = "Weather for a city", InputSchema = EmptySchema } };
        await using var h = await SessionHarness.StartAsync(tools);
        h.Model.CallTool("get_weather", new { city = "Oslo" }).Reply("It is sunny in Oslo.");

        var first = await h.RunTurnAsync("weather in Oslo?");

        var use = Assert.IsType<AgentCustomToolUseEvent>(first.Single(e => e.Event is AgentCustomToolUseEvent).Event);
        Assert.Equal("get_weather", use.Name);
        Assert.Equal("Oslo", use.Input.GetProperty("city").GetString());
        Assert.Equal([use.Id], ((SessionStatusIdleEvent)first[^1].Event).StopReason.EventIds);
        Assert.Contains(h.Model.Requests[0].Options?.Tools ?? [], t => t.Name == "get_weather");

        var refused = await h.Sessions.SendAsync(Workspaces.Default, h.Session.Id, [SessionHarness.Message("hello?")], CancellationToken.None);
        Assert.Equal(Lucid.Results.ErrorKind.Conflict, refused.Error?.Kind);

        var sent = await h.SendAsync(new UserCustomToolResultEvent { CustomToolUseId = use.Id, Content = [new TextBlock("sunny, 21C")] });
        var second = await h.WaitForIdleAsync(sent[^1].Sequence);

        Assert.Equal("It is sunny in Oslo.", Text(second.Select(e => e.Event).OfType<AgentMessageEvent>().Single().Content));
        var toolMessage = h.Model.Requests[1].Messages[^1];
        Assert.Equal(ChatRole.Tool, toolMessage.Role);
        var functionResult = Assert.IsType<FunctionResultContent>(Assert.Single(toolMessage.Contents));
        Assert.Equal(use.Id, functionResult.CallId);
        Assert.Equal("sunny, 21C", functionResult.Result);
    }

    [Fact]
    public async Task Unknown_tool_call_is_answered_with_an_error_and_the_turn_goes_on()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.CallTool("teleport", new { to = "mars" }).Reply("I cannot teleport.");

        var events = await h.RunTurnAsync("go to mars");

        var use = (AgentToolUseEvent)events.Single(e => e.Event is AgentToolUseEvent).Event;
        Assert.Equal(ToolPermissions.Deny, use.EvaluatedPermission);
        var result = (AgentToolResultEvent)events.Single(e => e.Event is AgentToolResultEvent).Event;
        Assert.True(result.IsError);
        Assert.Contains("teleport", Text(result.Content), StringComparison.Ordinal);
        Assert.Equal("end_turn", ((SessionStatusIdleEvent)events[^1].Event).StopReason.Type);
    }

    [Fact]
    public async Task Interrupt_during_model_request_ends_turn_and_goes_idle()
    {
        await using var h = await SessionHarness.StartAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Model.Then(async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        }).Reply("after the interrupt");

        var sent = await h.SayAsync("think forever");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await h.SendAsync(new UserInterruptEvent());
        var events = await h.WaitForIdleAsync(sent[^1].Sequence);

        Assert.DoesNotContain(events, e => e.Event is AgentMessageEvent);
        Assert.True(((SpanModelRequestEndEvent)events.Single(e => e.Event is SpanModelRequestEndEvent).Event).IsError);
        Assert.Equal(SessionStatus.Idle, (await h.ReloadAsync()).Status);

        // The session takes the next message normally.
        var next = await h.RunTurnAsync("hello again");
        Assert.Equal("after the interrupt", Text(next.Select(e => e.Event).OfType<AgentMessageEvent>().Single().Content));
    }

    [Fact]
    public async Task Interrupt_during_tool_call_kills_it_and_answers_the_call()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.CallTool("bash", new { command = "echo started > started.txt; sleep 60" }).Reply("next turn");

        var sent = await h.SayAsync("run a long command");
        await foreach (var e in h.Engine.Events.SubscribeAsync(LogId.Of(h.Session.Id), sent[^1].Sequence, CancellationToken.None))
        {
            if (e.Event is AgentToolUseEvent)
            {
                break;
            }
        }

        await h.SendAsync(new UserInterruptEvent());
        var events = await h.WaitForIdleAsync(sent[^1].Sequence);

        var result = (AgentToolResultEvent)events.Single(e => e.Event is AgentToolResultEvent).Event;
        Assert.True(result.IsError);
        Assert.Contains("interrupted", Text(result.Content), StringComparison.OrdinalIgnoreCase);
        Assert.Single(h.Model.Requests);

        var next = await h.RunTurnAsync("are you there?");
        Assert.Contains(next, e => e.Event is AgentMessageEvent);
        // The model's history stays valid: the interrupted call is followed by its (error) result.
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.User], h.Model.Requests[1].Messages.Select(m => m.Role));
    }

    [Theory]
    [InlineData(ModelErrorKind.RateLimited, "model_rate_limited_error")]
    [InlineData(ModelErrorKind.Overloaded, "model_overloaded_error")]
    [InlineData(ModelErrorKind.RequestFailed, "model_request_failed_error")]
    public async Task Provider_failure_after_retries_records_session_error_and_goes_idle(ModelErrorKind kind, string errorType)
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.Throw(new ModelRequestException(kind, "provider said no", 429)).Reply("recovered");

        var events = await h.RunTurnAsync("hi");

        var error = (SessionErrorEvent)events.Single(e => e.Event is SessionErrorEvent).Event;
        Assert.Equal(errorType, error.Error.Type);
        Assert.Equal("exhausted", error.Error.RetryStatus.Type);
        Assert.Contains("provider said no", error.Error.Message, StringComparison.Ordinal);
        Assert.Equal("retries_exhausted", ((SessionStatusIdleEvent)events[^1].Event).StopReason.Type);

        var next = await h.RunTurnAsync("again");
        Assert.Contains(next, e => e.Event is AgentMessageEvent);
    }

    [Fact]
    public async Task Unexpected_client_exception_is_recorded_not_thrown()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.Throw(new HttpRequestException("connection reset"));

        var events = await h.RunTurnAsync("hi");

        var error = (SessionErrorEvent)events.Single(e => e.Event is SessionErrorEvent).Event;
        Assert.Contains("connection reset", error.Error.Message, StringComparison.Ordinal);
        Assert.Equal(SessionStatus.Idle, (await h.ReloadAsync()).Status);
    }

    [Fact]
    public async Task Message_sent_during_a_turn_is_answered_in_the_next_turn()
    {
        await using var h = await SessionHarness.StartAsync();
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Model.Then(async (_, ct) =>
        {
            started.SetResult();
            await release.Task.WaitAsync(ct);
            return h.Model.Response(new ChatMessage(ChatRole.Assistant, "first answer"));
        }).Reply("second answer");

        var first = await h.SayAsync("first");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = await h.SayAsync("second");
        release.SetResult();
        var firstTurn = await h.WaitForIdleAsync(first[^1].Sequence);
        var events = await h.WaitForIdleAsync(firstTurn[^1].Sequence);

        Assert.Contains(firstTurn, e => e.Sequence == second[0].Sequence);

        Assert.Equal("second answer", Text(events.Select(e => e.Event).OfType<AgentMessageEvent>().Single().Content));
        Assert.Equal(2, h.Model.Requests.Count);
        Assert.Equal(
            [ChatRole.User, ChatRole.Assistant, ChatRole.User],
            h.Model.Requests[1].Messages.Select(m => m.Role));
        Assert.Equal("second", h.Model.Requests[1].Messages[^1].Text);
    }

    [Fact]
    public async Task Subscriber_replays_from_sequence_n_then_follows_live_without_gap_or_duplicate()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.Reply("one");
        await h.RunTurnAsync("first");
        var replayFrom = 3;
        var release = new TaskCompletionSource();
        h.Model.Then(async (_, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return h.Model.Response(new ChatMessage(ChatRole.Assistant, "two"));
        });

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new List<LoggedEvent>();
        var following = Task.Run(async () =>
        {
            await foreach (var e in h.Engine.Events.SubscribeAsync(LogId.Of(h.Session.Id), replayFrom, cts.Token))
            {
                received.Add(e);
                if (e.Event is SessionStatusIdleEvent && received.Count > 4)
                {
                    return;
                }
            }
        });
        var sent = await h.SayAsync("second");
        release.SetResult();
        await following;

        var log = await h.LogAsync();
        Assert.Equal(log.Where(e => e.Sequence > replayFrom).Select(e => e.Sequence), received.Select(e => e.Sequence));
        Assert.Equal(log.Where(e => e.Sequence > replayFrom).Select(e => e.Event.Id), received.Select(e => e.Event.Id));
        Assert.Contains(received, e => e.Sequence == sent[0].Sequence);
    }
}
