using System.Text.Json;
using Lucid.Events;
using Lucid.Outcomes;
using Lucid.Sessions;
using Lucid.Testing.Sessions;
using Microsoft.Extensions.AI;

namespace Lucid.Core.Tests.Outcomes;

public sealed class OutcomeLoopTests
{
    private const string Rubric = "- The file poem.txt exists.\n- The poem has a title line.";

    private static UserDefineOutcomeEvent Outcome(int maxIterations = 3, IReadOnlyList<OutcomeCheck>? checks = null, int? samples = null) => new()
    {
        Description = "Write a short poem about the sea into poem.txt.",
        Rubric = OutcomeRubric.Text(Rubric),
        MaxIterations = maxIterations,
        GraderModel = SessionHarness.GraderModelName,
        Checks = checks,
        GraderSamples = samples,
    };

    private static string Verdict(string verdict, string explanation, params (string Criterion, bool Met, string Fix)[] findings) =>
        JsonSerializer.Serialize(new
        {
            findings = findings.Select(f => new { criterion = f.Criterion, evidence = f.Met ? "seen" : "missing", met = f.Met, fix = f.Fix }),
            explanation,
            verdict,
        });


    private static async Task<IReadOnlyList<LoggedEvent>> RunOutcomeAsync(SessionHarness h, UserDefineOutcomeEvent outcome)
    {
        var sent = await h.SendAsync(outcome);
        return await h.WaitForIdleAsync(sent[0].Sequence - 1);
    }

    private static List<SpanOutcomeEvaluationEndEvent> Ends(IEnumerable<LoggedEvent> events) => [.. events.Select(e => e.Event).OfType<SpanOutcomeEvaluationEndEvent>()];

    [Fact]
    public async Task Satisfied_on_the_first_cycle_ends_the_outcome_and_idles()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.CallTool("write", new { file_path = "poem.txt", content = "The Sea\nwaves" }).Reply("Done: poem.txt holds the poem.");
        h.Grader.Reply(Verdict("satisfied", "Both criteria are met.", ("file exists", true, ""), ("title line", true, "")));

        var events = await RunOutcomeAsync(h, Outcome());

        var echo = (UserDefineOutcomeEvent)events[0].Event;
        Assert.StartsWith("outc_", echo.OutcomeId, StringComparison.Ordinal);
        var start = Assert.Single(events.Select(e => e.Event).OfType<SpanOutcomeEvaluationStartEvent>());
        var end = Assert.Single(Ends(events));
        Assert.Equal((echo.OutcomeId, 0, start.Id), (end.OutcomeId, end.Iteration, end.OutcomeEvaluationStartId));
        Assert.Equal(OutcomeResult.Satisfied, end.Result);
        Assert.Equal(2, end.Findings?.Count);
        Assert.Equal(120, end.Usage.InputTokens + end.Usage.OutputTokens);
        Assert.Equal("end_turn", ((SessionStatusIdleEvent)events[^1].Event).StopReason.Type);
        var session = await h.ReloadAsync();
        var evaluation = Assert.Single(session.OutcomeEvaluations);
        Assert.Equal(OutcomeResult.Satisfied, evaluation.Result);
        Assert.NotNull(evaluation.CompletedAt);
        Assert.Equal(2 * 15 + 120, session.Usage.InputTokens + session.Usage.OutputTokens);
    }

    [Fact]
    public async Task Two_revisions_then_pass_and_the_worker_receives_each_fix_list()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.Reply("Draft one.").Reply("Draft two.").Reply("Draft three.");
        h.Grader
            .Reply(Verdict("needs_revision", "No file yet.", ("file exists", false, "Write the poem into poem.txt.")))
            .Reply(Verdict("needs_revision", "No title.", ("title line", false, "Add a title as the first line.")))
            .Reply(Verdict("satisfied", "All met.", ("title line", true, "")));

        var events = await RunOutcomeAsync(h, Outcome());

        Assert.Equal(
            [OutcomeResult.NeedsRevision, OutcomeResult.NeedsRevision, OutcomeResult.Satisfied],
            Ends(events).Select(e => e.Result));
        Assert.Equal([0, 1, 2], Ends(events).Select(e => e.Iteration));
        var second = h.Model.Requests[1].Messages[^1];
        Assert.Equal(ChatRole.User, second.Role);
        Assert.Contains("Write the poem into poem.txt.", second.Text, StringComparison.Ordinal);
        Assert.Contains("evaluation 1 of 3", second.Text, StringComparison.Ordinal);
        Assert.Contains("Add a title as the first line.", h.Model.Requests[2].Messages[^1].Text, StringComparison.Ordinal);
        Assert.Equal(OutcomeResult.Satisfied, (await h.ReloadAsync()).OutcomeEvaluations[0].Result);
        Assert.Single(events, e => e.Event is SessionStatusIdleEvent);
    }

    [Fact]
    public async Task An_exhausted_budget_ends_max_iterations_reached_with_exactly_one_acknowledgment_turn()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.Reply("Try one.").Reply("Try two.").Reply("Acknowledged: the title is still missing.");
        h.Grader
            .Reply(Verdict("needs_revision", "No title.", ("title line", false, "Add a title.")))
            .Reply(Verdict("needs_revision", "Still no title.", ("title line", false, "Add a title.")));

        var events = await RunOutcomeAsync(h, Outcome(maxIterations: 2));

        Assert.Equal([OutcomeResult.NeedsRevision, OutcomeResult.MaxIterationsReached], Ends(events).Select(e => e.Result));
        Assert.Equal(3, h.Model.Requests.Count);
        Assert.Equal(2, h.Grader.Requests.Count);
        Assert.Contains("budget", h.Model.Requests[2].Messages[^1].Text, StringComparison.Ordinal);
        Assert.Equal("Acknowledged: the title is still missing.", ((AgentMessageEvent)events.Last(e => e.Event is AgentMessageEvent).Event).Content.OfType<TextBlock>().Single().Text);
        Assert.IsType<SessionStatusIdleEvent>(events[^1].Event);
        var evaluation = (await h.ReloadAsync()).OutcomeEvaluations[0];
        Assert.Equal((OutcomeResult.MaxIterationsReached, 1), (evaluation.Result, evaluation.Iteration));
    }

    [Fact]
    public async Task A_failed_verdict_ends_the_outcome()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.Reply("Here is a recipe instead.");
        h.Grader.Reply(Verdict("failed", "The rubric is about a poem; the deliverable is a recipe."));

        var events = await RunOutcomeAsync(h, Outcome());

        Assert.Equal(OutcomeResult.Failed, Assert.Single(Ends(events)).Result);
        Assert.Single(h.Model.Requests);
        Assert.Equal(OutcomeResult.Failed, (await h.ReloadAsync()).OutcomeEvaluations[0].Result);
    }

    [Fact]
    public async Task An_interrupt_during_grading_ends_the_outcome_interrupted()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.Reply("Done.");
        var grading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Grader.Then(async (_, ct) =>
        {
            grading.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });

        var sent = await h.SendAsync(Outcome());
        await grading.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await h.SendAsync(new UserInterruptEvent());
        var events = await h.WaitForIdleAsync(sent[^1].Sequence);

        Assert.Equal(OutcomeResult.Interrupted, Assert.Single(Ends(events)).Result);
        Assert.Equal(OutcomeResult.Interrupted, (await h.ReloadAsync()).OutcomeEvaluations[0].Result);
    }

    [Fact]
    public async Task Invalid_grader_output_is_retried_once_then_the_outcome_fails_with_the_reason()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.Reply("Done.");
        h.Grader.Reply("Looks great to me!").Reply("""{"verdict": "probably fine"}""");

        var events = await RunOutcomeAsync(h, Outcome());

        Assert.Equal(2, h.Grader.Requests.Count);
        var end = Assert.Single(Ends(events));
        Assert.Equal(OutcomeResult.Failed, end.Result);
        Assert.Contains("not a valid verdict", end.Explanation, StringComparison.Ordinal);
        var error = (SessionErrorEvent)events.Single(e => e.Event is SessionErrorEvent).Event;
        Assert.Contains("not a valid verdict", error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_grader_sees_the_rubric_description_and_deliverable_and_none_of_the_workers_steps()
    {
        await using var h = await SessionHarness.StartAsync(system: "WORKER-SYSTEM-PROMPT");
        h.Model
            .CallTools("Thinking aloud: INTERMEDIATE-MARKER", ("write", new { file_path = "poem.txt", content = "Sea Song\nblue FILE-MARKER" }))
            .Reply("FINAL-MARKER: the poem is in poem.txt.");
        h.Grader.Reply(Verdict("satisfied", "ok"));

        await RunOutcomeAsync(h, Outcome());

        var request = Assert.Single(h.Grader.Requests);
        var all = request.AllText;
        Assert.Contains(Rubric, all, StringComparison.Ordinal);
        Assert.Contains("Write a short poem about the sea into poem.txt.", all, StringComparison.Ordinal);
        Assert.Contains("FINAL-MARKER", all, StringComparison.Ordinal);
        Assert.Contains("poem.txt (added)", all, StringComparison.Ordinal);
        Assert.Contains("FILE-MARKER", all, StringComparison.Ordinal);
        Assert.DoesNotContain("INTERMEDIATE-MARKER", all, StringComparison.Ordinal);
        Assert.DoesNotContain("WORKER-SYSTEM-PROMPT", all, StringComparison.Ordinal);
        Assert.DoesNotContain("[call", all, StringComparison.Ordinal);
        Assert.DoesNotContain("[result", all, StringComparison.Ordinal);
        Assert.Equal([ChatRole.System, ChatRole.User], request.Messages.Select(m => m.Role));
        Assert.NotNull(request.Options?.ResponseFormat);
    }

    [Fact]
    public async Task A_failing_check_keeps_the_outcome_from_satisfied_even_when_the_grader_says_so()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.Reply("Done.").Reply("Acknowledged.");
        h.Grader.Reply(Verdict("satisfied", "Looks good."));

        var events = await RunOutcomeAsync(h, Outcome(maxIterations: 1, checks: [new CommandCheck("echo checking; test -f poem.txt"), new FileExistsCheck("poem.txt")]));

        var end = Assert.Single(Ends(events));
        Assert.Equal(OutcomeResult.MaxIterationsReached, end.Result);
        Assert.Contains("Overruled", end.Explanation, StringComparison.Ordinal);
        Assert.Equal(2, end.Checks?.Count);
        Assert.All(end.Checks ?? [], c => Assert.False(c.Passed));
        Assert.Contains("checking", end.Checks?[0].Output, StringComparison.Ordinal);
        Assert.Contains("[exit code: 1]", end.Checks?[0].Output, StringComparison.Ordinal);
        Assert.Contains("FAILED", h.Grader.Requests[0].AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_passing_check_is_recorded_with_its_output()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.CallTool("write", new { file_path = "poem.txt", content = "Title\nsea" }).Reply("Done.");
        h.Grader.Reply(Verdict("satisfied", "Fine."));

        var events = await RunOutcomeAsync(h, Outcome(checks: [new CommandCheck("wc -l < poem.txt"), new PatternCheck("poem.txt", "^Title$"), new PatternCheck("poem.txt", "TODO", MustMatch: false)]));

        var end = Assert.Single(Ends(events));
        Assert.Equal(OutcomeResult.Satisfied, end.Result);
        Assert.All(end.Checks ?? [], c => Assert.True(c.Passed, c.Output));
        Assert.Equal("1\n[exit code: 0]", end.Checks?[0].Output);
    }

    [Fact]
    public async Task Several_grader_samples_vote_and_disagreement_is_recorded()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.Reply("Done.");
        h.Grader.Reply(Verdict("satisfied", "yes")).Reply(Verdict("needs_revision", "no")).Reply(Verdict("satisfied", "yes"));

        var events = await RunOutcomeAsync(h, Outcome(samples: 3));

        var end = Assert.Single(Ends(events));
        Assert.Equal(OutcomeResult.Satisfied, end.Result);
        Assert.Equal(3, end.SampleVerdicts?.Count);
        Assert.Equal(2, end.SampleVerdicts?.Count(v => v == OutcomeResult.Satisfied.ToWire()));
        Assert.Equal(360, end.Usage.InputTokens + end.Usage.OutputTokens);
    }

    [Fact]
    public async Task A_heartbeat_is_recorded_while_the_grader_works()
    {
        await using var h = await SessionHarness.StartAsync(options: new SessionEngineOptions { OutcomeHeartbeatInterval = TimeSpan.FromMilliseconds(10) });
        h.Model.Reply("Done.");
        var heartbeatSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Grader.Then(async (_, ct) =>
        {
            await heartbeatSeen.Task.WaitAsync(ct);
            return h.Grader.Response(new ChatMessage(ChatRole.Assistant, Verdict("satisfied", "ok")));
        });

        var sent = await h.SendAsync(Outcome());
        await foreach (var e in h.Engine.Events.SubscribeAsync(LogId.Of(h.Session.Id), sent[^1].Sequence, CancellationToken.None))
        {
            if (e.Event is SpanOutcomeEvaluationOngoingEvent)
            {
                heartbeatSeen.SetResult();
                break;
            }
        }

        var events = await h.WaitForIdleAsync(sent[0].Sequence - 1);
        var ongoing = events.Select(e => e.Event).OfType<SpanOutcomeEvaluationOngoingEvent>().First();
        Assert.Equal((((UserDefineOutcomeEvent)events[0].Event).OutcomeId, 0), (ongoing.OutcomeId, ongoing.Iteration));
        Assert.Equal(OutcomeResult.Satisfied, Assert.Single(Ends(events)).Result);
    }

    [Fact]
    public async Task A_second_outcome_while_one_is_active_is_a_conflict_and_invalid_outcomes_are_refused()
    {
        await using var h = await SessionHarness.StartAsync();
        var release = new TaskCompletionSource();
        h.Model.Then(async (_, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return h.Model.Response(new ChatMessage(ChatRole.Assistant, "Done."));
        });
        h.Grader.Reply(Verdict("satisfied", "ok"));
        var sent = await h.SendAsync(Outcome());

        var second = await h.Sessions.SendAsync(Workspaces.Default, h.Session.Id, [Outcome()], CancellationToken.None);
        var tooMany = await h.Sessions.SendAsync(Workspaces.Default, h.Session.Id, [Outcome(maxIterations: 21)], CancellationToken.None);
        var noRubric = await h.Sessions.SendAsync(Workspaces.Default, h.Session.Id, [Outcome() with { Rubric = OutcomeRubric.Text(" ") }], CancellationToken.None);
        release.SetResult();
        await h.WaitForIdleAsync(sent[^1].Sequence);

        Assert.Equal(Lucid.Results.ErrorKind.Conflict, second.Error?.Kind);
        Assert.Equal("event.max_iterations", tooMany.Error?.Field);
        Assert.Equal("event.rubric", noRubric.Error?.Field);
    }
}
