using Lucid.Agents;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Testing.Models;
using Lucid.Testing.Sessions;
using Microsoft.Extensions.AI;

namespace Lucid.Core.Tests.Sessions;

public sealed class ToolUseLimitTests
{
    private static string Text(IReadOnlyList<ContentBlock> content) => string.Concat(content.OfType<TextBlock>().Select(b => b.Text));

    private static SessionError Error(IEnumerable<LoggedEvent> events) => ((SessionErrorEvent)events.Single(e => e.Event is SessionErrorEvent).Event).Error;

    [Fact]
    public async Task A_model_that_keeps_calling_tools_is_stopped_after_the_round_limit_and_the_next_message_starts_a_new_turn()
    {
        await using var h = await SessionHarness.StartAsync(options: new SessionEngineOptions { MaxToolUseRoundsPerTurn = 3 });
        for (var i = 0; i < 3; i++)
        {
            h.Model.CallTool("write", new { file_path = $"step{i}.txt", content = $"step {i}" });
        }

        var events = await h.RunTurnAsync("keep going");

        // The three rounds ran; the turn stopped before asking the model a fourth time.
        Assert.Equal(3, h.Model.Requests.Count);
        Assert.All(Enumerable.Range(0, 3), i => Assert.True(File.Exists(Path.Combine(h.WorkDirectory, $"step{i}.txt"))));
        Assert.Equal(3, events.Count(e => e.Event is AgentToolResultEvent { IsError: false }));
        var error = Error(events);
        Assert.Equal(("tool_use_limit_reached_error", "exhausted"), (error.Type, error.RetryStatus.Type));
        Assert.Contains("limit of 3 tool-use rounds", error.Message, StringComparison.Ordinal);
        Assert.IsType<SessionErrorEvent>(events[^3].Event);
        Assert.IsType<SessionUsageEvent>(events[^2].Event);
        Assert.Equal(StopReason.RetriesExhausted, ((SessionStatusIdleEvent)events[^1].Event).StopReason);
        Assert.Equal(SessionStatus.Idle, (await h.ReloadAsync()).Status);

        h.Model.Reply("All three steps are written.");
        var next = await h.RunTurnAsync("continue");

        Assert.Equal(StopReason.EndTurn, ((SessionStatusIdleEvent)next[^1].Event).StopReason);
        Assert.Equal(3, h.Model.Requests[^1].Messages.Count(m => m.Role == ChatRole.Tool));
    }

    [Fact]
    public async Task A_tool_call_cut_off_by_the_output_limit_is_not_run_and_cut_offs_in_a_row_stop_the_turn()
    {
        await using var h = await SessionHarness.StartAsync(options: new SessionEngineOptions { MaxCutOffToolCallsInARow = 2 });
        h.Model
            .CallToolCutOff("write", new { file_path = "cut1.txt", content = "partial" })
            .CallTool("write", new { file_path = "whole.txt", content = "complete" })
            .CallToolCutOff("write", new { file_path = "cut2.txt", content = "partial" })
            .CallToolCutOff("write", new { file_path = "cut3.txt", content = "partial" });

        var events = await h.RunTurnAsync("write three files");

        // A complete call between cut-off ones resets the count: the turn stops at the second cut-off in a row.
        Assert.Equal(4, h.Model.Requests.Count);
        Assert.True(File.Exists(Path.Combine(h.WorkDirectory, "whole.txt")));
        Assert.All(["cut1.txt", "cut2.txt", "cut3.txt"], f => Assert.False(File.Exists(Path.Combine(h.WorkDirectory, f)), f));
        var uses = events.Select(e => e.Event).OfType<AgentToolUseEvent>().ToList();
        var results = events.Select(e => e.Event).OfType<AgentToolResultEvent>().ToList();
        Assert.Equal(uses.Select(u => u.Id), results.Select(r => r.ToolUseId));
        Assert.Equal([true, false, true, true], results.Select(r => r.IsError));
        Assert.Equal(ModelResponseEvents.CutOffMessage, Text(results[0].Content));
        Assert.Contains(ModelResponseEvents.CutOffMessage, h.Model.Requests[1].AllText, StringComparison.Ordinal);
        var error = Error(events);
        Assert.Equal(("tool_use_limit_reached_error", "exhausted"), (error.Type, error.RetryStatus.Type));
        Assert.Contains("last 2 responses each requested a single tool call", error.Message, StringComparison.Ordinal);
        Assert.Equal(StopReason.RetriesExhausted, ((SessionStatusIdleEvent)events[^1].Event).StopReason);
    }

    [Fact]
    public async Task A_thread_that_reaches_the_limit_fails_to_its_lead_and_terminates()
    {
        await using var h = await LeadOfALoopingThreadAsync();
        ScriptedRequest? decision = null;
        h.Model
            .CallTool("start_thread", new { inline_agent = new { name = "looper", model = "scripted/looping" }, task = "Look around." })
            .CallTool("wait_for_threads", new { })
            .Then((request, _) =>
            {
                decision = request;
                return Task.FromResult(h.Model.Response(new ChatMessage(ChatRole.Assistant, "The helper hit its limit.")));
            });

        // The lead's two rounds stay within the limit; the thread's fourth round would not.
        var events = await h.RunTurnAsync("Delegate this.");

        Assert.Equal(StopReason.EndTurn, ((SessionStatusIdleEvent)events[^1].Event).StopReason);
        Assert.NotNull(decision);
        Assert.Contains("status=\"failed\"", decision.AllText, StringComparison.Ordinal);
        Assert.Contains("limit of 3 tool-use rounds", decision.AllText, StringComparison.Ordinal);
        var thread = Assert.Single(await h.Store.ListThreadsAsync(h.Session.Id, CancellationToken.None));
        Assert.Equal(SessionStatus.Terminated, thread.Status);
        var log = (await h.LogAsync(thread.Id)).Select(e => e.Event).ToList();
        Assert.Equal("tool_use_limit_reached_error", log.OfType<SessionErrorEvent>().Single().Error.Type);
        Assert.Equal(
            ["session.error", "session.usage", "session.thread_status_idle", "session.thread_status_terminated"],
            log.TakeLast(4).Select(e => e.Type));
        Assert.Equal(StopReason.RetriesExhausted, log.OfType<SessionThreadStatusIdleEvent>().Last().StopReason);
    }

    [Fact]
    public async Task A_lead_that_waits_for_a_thread_which_already_failed_and_terminated_reads_why_it_failed()
    {
        await using var h = await LeadOfALoopingThreadAsync();
        ScriptedRequest? decision = null;
        h.Model
            .CallTool("start_thread", new { inline_agent = new { name = "looper", model = "scripted/looping" }, task = "Look around." })
            .Then(async (_, cancellationToken) =>
            {
                // The lead asks to wait only once the thread has failed at its limit and terminated.
                while ((await h.Store.ListThreadsAsync(h.Session.Id, cancellationToken)) is not [{ Status: SessionStatus.Terminated }])
                {
                    await Task.Delay(10, cancellationToken);
                }

                return h.Model.Response(ScriptedChatClient.ToolCalls(null, ("wait_for_threads", new { })));
            })
            .Then((request, _) =>
            {
                decision = request;
                return Task.FromResult(h.Model.Response(new ChatMessage(ChatRole.Assistant, "The helper hit its limit.")));
            });

        await h.RunTurnAsync("Delegate this.");

        Assert.NotNull(decision);
        Assert.Contains("status=\"failed\"", decision.AllText, StringComparison.Ordinal);
        Assert.Contains("limit of 3 tool-use rounds", decision.AllText, StringComparison.Ordinal);
    }

    // A lead that may start threads, on an engine that allows 3 tool-use rounds a turn, and a model, scripted/looping,
    // that calls glob three times.
    private static async Task<SessionHarness> LeadOfALoopingThreadAsync()
    {
        var looping = new ScriptedChatClient();
        for (var i = 0; i < 3; i++)
        {
            looping.CallTool("glob", new { pattern = "*" });
        }

        var h = await SessionHarness.StartAsync(
            multiagent: _ => Task.FromResult(new MultiagentConfig()),
            options: new SessionEngineOptions { MaxToolUseRoundsPerTurn = 3 });
        h.Models.With("scripted/looping", looping);
        return h;
    }
}
