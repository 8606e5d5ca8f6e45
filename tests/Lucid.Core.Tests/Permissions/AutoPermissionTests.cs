using Lucid.Agents;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Testing.Sessions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Lucid.Core.Tests.Permissions;

public sealed class AutoPermissionTests
{
    private static readonly AgentTool[] AutoTools = [new AgentToolset { DefaultConfig = new ToolsetDefaultConfig { PermissionPolicy = PermissionPolicy.Auto } }];

    private static SessionEngineOptions ReviewedBy(string model) => new() { PermissionReviewerModel = model };

    private static string Text(IReadOnlyList<ContentBlock> content) => string.Concat(content.OfType<TextBlock>().Select(b => b.Text));

    [Fact]
    public async Task The_configured_reviewer_allows_one_call_and_denies_another_and_its_requests_count_into_usage()
    {
        await using var h = await SessionHarness.StartAsync(tools: AutoTools, system: "Only ever touch notes.", options: ReviewedBy(SessionHarness.GraderModelName));
        h.Model
            .CallTools(null, ("write", new { file_path = "notes.txt", content = "milk" }), ("write", new { file_path = "passwords.txt", content = "hunter2" }))
            .Reply("Done.");
        h.Grader
            .Reply("""{"reason":"Writing notes is the task.","decision":"allow"}""")
            .Reply("""{"reason":"Passwords are not notes.","decision":"deny"}""");

        var events = await h.RunTurnAsync("Write my shopping list into notes.txt.");

        var uses = events.Select(e => e.Event).OfType<AgentToolUseEvent>().ToList();
        Assert.Equal([ToolPermissions.Allow, ToolPermissions.Deny], uses.Select(u => u.EvaluatedPermission));
        Assert.All(uses, u => Assert.Equal(PermissionPolicy.Auto, u.Evaluation?.Policy));
        Assert.Equal(("Writing notes is the task.", null), (uses[0].Evaluation?.EvaluatedPermission?.Reason, uses[0].Evaluation?.EvaluatedPermission?.ReasonCode));
        Assert.Equal(("Passwords are not notes.", AutoJudgement.HighRisk), (uses[1].Evaluation?.EvaluatedPermission?.Reason, uses[1].Evaluation?.EvaluatedPermission?.ReasonCode));
        Assert.True(File.Exists(Path.Combine(h.WorkDirectory, "notes.txt")));
        Assert.False(File.Exists(Path.Combine(h.WorkDirectory, "passwords.txt")));
        var denied = events.Select(e => e.Event).OfType<AgentToolResultEvent>().Single(r => r.ToolUseId == uses[1].Id);
        Assert.True(denied.IsError);
        Assert.Contains("Passwords are not notes.", Text(denied.Content), StringComparison.Ordinal);

        // The reviewer saw the agent's instructions, the task and the call, in a context of its own.
        var review = h.Grader.Requests[1].AllText;
        Assert.Contains("Only ever touch notes.", review, StringComparison.Ordinal);
        Assert.Contains("Write my shopping list into notes.txt.", review, StringComparison.Ordinal);
        Assert.Contains("passwords.txt", review, StringComparison.Ordinal);
        Assert.DoesNotContain("notes.txt\",\"content\":\"milk", review, StringComparison.Ordinal);

        // Two worker requests (10 in, 5 out each) and two reviews (100 in, 20 out each).
        var usage = (await h.ReloadAsync()).Usage;
        Assert.Equal((220L, 50L), (usage.InputTokens, usage.OutputTokens));
    }

    [Fact]
    public async Task A_reviewer_that_does_not_answer_in_time_denies_the_call()
    {
        var time = new FakeTimeProvider();
        await using var h = await SessionHarness.StartAsync(
            tools: AutoTools, time: time, options: ReviewedBy(SessionHarness.GraderModelName) with { PermissionReviewTimeout = TimeSpan.FromSeconds(30) });
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Model.CallTool("write", new { file_path = "late.txt", content = "x" }).Reply("It was refused.");
        h.Grader.Then(async (_, ct) =>
        {
            asked.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });

        var sent = await h.SayAsync("Write late.txt.");
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(30));
        var events = await h.WaitForIdleAsync(sent[^1].Sequence);

        var use = events.Select(e => e.Event).OfType<AgentToolUseEvent>().Single();
        Assert.Equal(ToolPermissions.Deny, use.EvaluatedPermission);
        Assert.Equal(AutoJudgement.Indeterminate, use.Evaluation?.EvaluatedPermission?.ReasonCode);
        Assert.Contains("did not answer within 30 s", use.Evaluation?.EvaluatedPermission?.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(h.WorkDirectory, "late.txt")));
        Assert.Equal(StopReason.EndTurn, ((SessionStatusIdleEvent)events[^1].Event).StopReason);
    }

    [Fact]
    public async Task A_reviewer_that_asks_holds_the_call_for_the_client_and_an_allow_runs_it()
    {
        await using var h = await SessionHarness.StartAsync(tools: AutoTools, options: ReviewedBy(SessionHarness.GraderModelName));
        h.Model.CallTool("write", new { file_path = "draft.txt", content = "hello" }).Reply("Written.");
        h.Grader.Reply("""{"reason":"Whether the user wants a file written is unclear.","decision":"ask"}""");

        var first = await h.RunTurnAsync("Draft a greeting.");

        var use = first.Select(e => e.Event).OfType<AgentToolUseEvent>().Single();
        Assert.Equal(ToolPermissions.Ask, use.EvaluatedPermission);
        Assert.Equal(
            (PermissionPolicy.Auto, ToolPermissions.Ask, AutoJudgement.Indeterminate, "Whether the user wants a file written is unclear."),
            (use.Evaluation?.Policy, use.Evaluation?.EvaluatedPermission?.Type, use.Evaluation?.EvaluatedPermission?.ReasonCode, use.Evaluation?.EvaluatedPermission?.Reason));
        Assert.Empty(first.Select(e => e.Event).OfType<AgentToolResultEvent>());
        var idle = Assert.IsType<SessionStatusIdleEvent>(first[^1].Event);
        Assert.Equal("requires_action", idle.StopReason.Type);
        Assert.Equal([use.Id], idle.StopReason.EventIds);
        Assert.False(File.Exists(Path.Combine(h.WorkDirectory, "draft.txt")));

        var sent = await h.SendAsync(new UserToolConfirmationEvent { ToolUseId = use.Id, Result = ToolConfirmationResult.Allow });
        var second = await h.WaitForIdleAsync(sent[^1].Sequence);

        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(h.WorkDirectory, "draft.txt")));
        Assert.False(second.Select(e => e.Event).OfType<AgentToolResultEvent>().Single(r => r.ToolUseId == use.Id).IsError);
        Assert.Equal(StopReason.EndTurn, ((SessionStatusIdleEvent)second[^1].Event).StopReason);
        Assert.Single(h.Grader.Requests);
    }

    [Fact]
    public async Task A_call_the_reviewer_asked_about_and_the_client_denies_gives_the_agent_an_error_result()
    {
        await using var h = await SessionHarness.StartAsync(tools: AutoTools, options: ReviewedBy(SessionHarness.GraderModelName));
        h.Model.CallTool("bash", new { command = "touch touched" }).Reply("Understood, I will not.");
        h.Grader.Reply("""{"reason":"The task does not say whether files may be created.","decision":"ask"}""");

        var first = await h.RunTurnAsync("Touch a file if you may.");
        var use = first.Select(e => e.Event).OfType<AgentToolUseEvent>().Single();
        var sent = await h.SendAsync(new UserToolConfirmationEvent { ToolUseId = use.Id, Result = ToolConfirmationResult.Deny, DenyMessage = "not today" });
        var second = await h.WaitForIdleAsync(sent[^1].Sequence);

        Assert.False(File.Exists(Path.Combine(h.WorkDirectory, "touched")));
        var result = second.Select(e => e.Event).OfType<AgentToolResultEvent>().Single(r => r.ToolUseId == use.Id);
        Assert.True(result.IsError);
        Assert.Contains("not today", Text(result.Content), StringComparison.Ordinal);
        Assert.Contains("not today", h.Model.Requests[1].AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_under_always_allow_carry_their_policy_as_evaluation_and_ask_no_reviewer()
    {
        await using var h = await SessionHarness.StartAsync(options: ReviewedBy(SessionHarness.GraderModelName));
        h.Model.CallTool("write", new { file_path = "a.txt", content = "a" }).Reply("Written.");

        var events = await h.RunTurnAsync("Write a.txt.");

        var use = events.Select(e => e.Event).OfType<AgentToolUseEvent>().Single();
        Assert.Equal((ToolPermissions.Allow, PermissionPolicy.AlwaysAllow, null), (use.EvaluatedPermission, use.Evaluation?.Policy, use.Evaluation?.EvaluatedPermission));
        Assert.Empty(h.Grader.Requests);
    }
}
