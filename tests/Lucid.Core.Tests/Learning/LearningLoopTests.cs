using Lucid.Dreams;
using Lucid.Dreams.Review;
using Lucid.Dreams.Validation;
using Lucid.Evals;
using Lucid.Memory;
using static Lucid.Core.Tests.Learning.LearningLoopHarness;

namespace Lucid.Core.Tests.Learning;

/// <summary>
/// The whole loop, on a worker that passes a task only when its mounted memory holds a rule that gives the task's code
/// word: a baseline eval fails, a dream over its sessions proposes lessons, replay keeps those that lift the pass rate and
/// drops the one that hurts, a reviewer accepts the rest, and a second eval passes, significantly.
/// </summary>
public sealed class LearningLoopTests
{
    private const int Tasks = 8;

    private static readonly DreamValidation Validation = new() { Trials = 2, UnrelatedTasks = 1, MinLift = 0, MaxTrials = 200 };

    private static readonly string Numbering = "/lessons/code-words.md";
    private static readonly string Misleading = "/lessons/one-code.md";
    private static readonly string OnlyT007 = "/tasks/t007/lessons/t007-code.md";

    /// <summary>A store that knows t000's code word, a baseline eval over it, and a dreamer scripted with three lessons over the baseline's sessions.</summary>
    private static async Task<(string Input, EvalRun Baseline)> BaselineAsync(LearningLoopHarness h)
    {
        var input = await h.StoreAsync(("/lessons/t000.md", $"The code word for t000 is {RuleChatClient.Code("t000")}.\n"));
        var baseline = await h.EvalAsync(Suite(Tasks, 2, new EvalArm { Name = "before", Kind = EvalArmKind.MemoryStore, MemoryStoreId = input }));
        async Task<List<string>> Of(params int[] tasks) =>
            await h.FirstEventsAsync(baseline.Trials.Where(t => tasks.Select(TaskId).Contains(t.TaskId)).OrderBy(t => t.SessionId).Select(t => t.SessionId));
        h.Script(
            (Numbering, "Code words follow the task's number", "a task asks for its code word", RuleChatClient.NumberingRule, await Of(1, 2, 3, 4, 5, 6)),
            (Misleading, "One code word fits all tasks", "any task asks for a code word", RuleChatClient.EveryTask("KIWI-999"), await Of(0, 1)),
            ("/lessons/t007-code.md", "Task t007's code", "t007 asks for its code", RuleChatClient.EveryTask("KIWI-007"), await Of(7)));
        return (input, baseline);
    }

    [Fact]
    public async Task A_dream_validated_by_replay_and_reviewed_turns_a_failing_eval_into_a_significantly_passing_one()
    {
        await using var h = new LearningLoopHarness();
        var (input, baseline) = await BaselineAsync(h);
        Assert.Equal((2, 16), (baseline.Report!.Arms[0].Passed, baseline.Report.Arms[0].Trials));

        var (dream, progress) = await h.DreamAsync(input, baseline.Trials.Select(t => t.SessionId!), Validation);

        // Replayed: each lesson with and without it, 2 trials per task per arm, on its tasks and the first unrelated one.
        Assert.True(dream.AwaitsReview, dream.Error?.Message);
        var lifts = dream.Validation!.Lessons.ToDictionary(l => l.Path);
        Assert.Equal(48, dream.Validation.PlannedTrials);
        Assert.Equal([Numbering, Misleading, OnlyT007], dream.Validation.Lessons.Select(l => l.Path));
        var numbering = lifts[Numbering];
        Assert.Equal(["t001", "t002", "t003", "t004", "t005", "t006"], numbering.SupportingTasks);
        Assert.Equal(["t000"], numbering.UnrelatedTasks);
        Assert.Equal((14, 14, 2), (numbering.Trials, numbering.PassedWith, numbering.PassedWithout));
        Assert.Equal(6.0 / 7, numbering.Lift!.Value, 12);
        Assert.Equal((1.0, 0.0), (numbering.SupportingLift, numbering.UnrelatedLift));
        Assert.Equal(0.03125, numbering.PValue!.Value, 12);
        Assert.True(numbering.Kept);

        // The misleading lesson makes t000 fail where its own lesson made it pass: a negative lift, dropped.
        var misleading = lifts[Misleading];
        Assert.Equal(["t000", "t001"], misleading.SupportingTasks);
        Assert.Equal(["t002"], misleading.UnrelatedTasks);
        Assert.Equal((6, 0, 2), (misleading.Trials, misleading.PassedWith, misleading.PassedWithout));
        Assert.Equal(-1.0 / 3, misleading.Lift!.Value, 12);
        Assert.Equal((-0.5, 0.0), (misleading.SupportingLift, misleading.UnrelatedLift));
        Assert.Equal(1.0, misleading.PValue!.Value, 12);
        Assert.False(misleading.Kept);

        // t007's lesson says every task's code is t007's; task-specific, it is never shown to t000, which still passes.
        var onlyT007 = lifts[OnlyT007];
        Assert.Equal(["t007"], onlyT007.SupportingTasks);
        Assert.Equal(["t000"], onlyT007.UnrelatedTasks);
        Assert.Equal((4, 4, 2), (onlyT007.Trials, onlyT007.PassedWith, onlyT007.PassedWithout));
        Assert.Equal((0.5, 1.0, 0.0), (onlyT007.Lift, onlyT007.SupportingLift, onlyT007.UnrelatedLift));
        Assert.True(onlyT007.Kept);

        // The plan and its cost were shown before any trial ran; the trials are tagged and left out of later --since inputs.
        var notes = progress.Select(p => p.Message).ToList();
        var plan = notes.FindIndex(n => n.Contains("48 trial sessions", StringComparison.Ordinal));
        Assert.True(plan >= 0 && plan < notes.FindIndex(n => n.StartsWith("lesson 1 of 3", StringComparison.Ordinal)), string.Join("\n", notes));
        Assert.Contains(progress, p => p.Stage == DreamStage.Validate && p.Message.StartsWith(Misleading + ": lift -0.33", StringComparison.Ordinal) && p.Message.EndsWith("dropped, not above the minimum lift 0.00.", StringComparison.Ordinal));
        var runs = (await h.Store.ListEvalRunsAsync(null, new Lucid.Storage.PageRequest(100), CancellationToken.None)).Items;
        Assert.Equal(3, runs.Count(r => r.ValidatesDreamId == dream.Id));
        var since = await new SessionMining(h.Store).SessionsSinceAsync(Ws, DateTimeOffset.MinValue, CancellationToken.None);
        Assert.Equal(baseline.Trials.Select(t => t.SessionId!).Order(), since.Where(s => s != dream.SessionId).Order());

        // Only the lessons that lifted the pass rate are proposed; the reviewer accepts them.
        Assert.Equal([Numbering, OnlyT007], dream.Review!.Changes.Select(c => c.Path));
        Assert.Contains("## Validation by replay", dream.Review.ReportTail, StringComparison.Ordinal);
        Assert.Contains($"| `{Misleading}` | -0.33 | 0/6 | 2/6 |", dream.Review.ReportTail, StringComparison.Ordinal);
        foreach (var change in dream.Review.Changes)
        {
            Assert.True((await h.Reviews.DecideAsync(Ws, dream.Id, change.Id, DreamDecision.Accepted, "key_ana", CancellationToken.None)).IsSuccess);
        }

        var finished = await h.Reviews.FinishAsync(Ws, dream.Id, "key_ana", CancellationToken.None);
        Assert.Equal(DreamStatus.Completed, finished.Value!.Status);

        // The second eval: every task passes with the reviewed store, t000 too (t007's lesson is not applied to it).
        var after = await h.EvalAsync(Suite(Tasks, 2,
            new EvalArm { Name = "before", Kind = EvalArmKind.MemoryStore, MemoryStoreId = input },
            new EvalArm { Name = "after", Kind = EvalArmKind.Dream, DreamId = dream.Id }));
        Assert.Equal([2, 16], after.Report!.Arms.Select(a => a.Passed));
        var comparison = Assert.Single(after.Report.Comparisons);
        Assert.Equal(Enumerable.Range(1, 7).Select(TaskId), comparison.Improved.Select(f => f.TaskId));
        Assert.Empty(comparison.Regressed);
        Assert.Equal(0.015625, comparison.PValue, 12);
        Assert.True(comparison.PValue < 0.05);
        var written = await h.Memory.ReadAllAsync(Ws, finished.Value.OutputStoreId!, "/", includeContent: true, CancellationToken.None);
        Assert.Equal(["/lessons/code-words.md", "/lessons/t000.md", OnlyT007], written.Value!.Select(m => m.Path).Where(p => !Dream.IsReportPath(p)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_validation_over_its_trial_budget_is_refused_before_any_trial_runs()
    {
        await using var h = new LearningLoopHarness();
        var (input, baseline) = await BaselineAsync(h);

        var (dream, progress) = await h.DreamAsync(input, baseline.Trials.Select(t => t.SessionId!), Validation with { MaxTrials = 47 });

        Assert.Equal(DreamStatus.Failed, dream.Status);
        Assert.Equal("validation_over_budget", dream.Error!.Type);
        Assert.Contains("would run 48 trial sessions, over validation.max_trials (47); no trial ran", dream.Error.Message, StringComparison.Ordinal);
        Assert.Contains(progress, p => p.Stage == DreamStage.Validate && p.Message.Contains("48 trial sessions", StringComparison.Ordinal));
        Assert.Equal([baseline.Id], (await h.Store.ListEvalRunsAsync(null, new Lucid.Storage.PageRequest(100), CancellationToken.None)).Items.Select(r => r.Id));
        Assert.Null(dream.Review!.ReportTail);
    }
}
