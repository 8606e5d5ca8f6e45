using Lucid.Dreams;
using Lucid.Dreams.Review;
using Lucid.Evals;
using Lucid.Memory;
using Lucid.Outcomes;
using Lucid.Storage;
using static Lucid.Core.Tests.Evals.EvalHarness;

namespace Lucid.Core.Tests.Evals;

public sealed class EvalRunnerTests
{
    [Fact]
    public async Task A_memory_holding_the_lessons_passes_where_no_memory_fails_significantly()
    {
        await using var h = new EvalHarness();
        var lessons = await h.LessonStoreAsync(Enumerable.Range(0, 10));

        var run = await h.RunAsync(Suite(10, 2, NoMemory, WithStore(lessons)));

        Assert.Equal(EvalRunStatus.Completed, run.Status);
        var report = run.Report!;
        Assert.Equal((0, 20), (report.Arms[0].Passed, report.Arms[0].Trials));
        Assert.Equal((20, 20), (report.Arms[1].Passed, report.Arms[1].Trials));
        Assert.Equal([1.0, 1.0], report.Arms[1].PassHatK);
        Assert.Equal([0.0, 0.0], report.Arms[0].PassHatK);
        Assert.Equal(lessons, report.Arms[1].MemoryStoreId);
        Assert.True(report.Arms[1].PassRateLow > report.Arms[0].PassRateHigh);
        var comparison = Assert.Single(report.Comparisons);
        Assert.Equal(("none", "memory"), (comparison.Baseline, comparison.Arm));
        Assert.Equal(0.001953125, comparison.PValue, 12);
        Assert.Equal(Enumerable.Range(0, 10).Select(TaskId), comparison.Improved.Select(f => f.TaskId));
        Assert.Empty(comparison.Regressed);
        Assert.Equal(1.0, comparison.MeanDifference);
        // The memory arm's prompts held the store's listing and the lesson it read, so its trials read more tokens.
        Assert.True(report.Arms[1].MemoryInputTokensPerTrial > 0, $"{report.Arms[0].InputTokensPerTrial} against {report.Arms[1].InputTokensPerTrial}");
        Assert.Null(report.Arms[0].MemoryInputTokensPerTrial);
    }

    [Fact]
    public async Task Fifty_tasks_four_trials_two_arms_report_what_the_tagged_sessions_show()
    {
        await using var h = new EvalHarness();
        // Lessons for the even tasks only: the memory arm passes those and fails the odd ones like the baseline.
        var lessons = await h.LessonStoreAsync(Enumerable.Range(0, 50).Where(i => i % 2 == 0));

        var run = await h.RunAsync(Suite(50, 4, NoMemory, WithStore(lessons)));

        Assert.Equal(EvalRunStatus.Completed, run.Status);
        Assert.Equal(400, run.Trials.Count);
        var sessions = (await h.SessionsAsync()).Where(s => s.Metadata.GetValueOrDefault(EvalMetadata.RunId) == run.Id).ToList();
        Assert.Equal(400, sessions.Count);
        foreach (var arm in run.Report!.Arms)
        {
            var ofArm = sessions.Where(s => s.Metadata[EvalMetadata.Arm] == arm.Arm).ToList();
            Assert.Equal(arm.Trials, ofArm.Count);
            Assert.Equal(arm.Passed, ofArm.Count(s => s.OutcomeEvaluations[0].Result == OutcomeResult.Satisfied));
            Assert.Equal(arm.Arm == "memory" ? [lessons] : [], ofArm.SelectMany(s => s.Resources).Select(r => r.MemoryStoreId).Distinct());
            Assert.All(ofArm.SelectMany(s => s.Resources), r => Assert.Equal(MemoryAccess.ReadOnly, r.Access));
            foreach (var task in arm.Tasks)
            {
                var ofTask = ofArm.Where(s => s.Metadata[EvalMetadata.TaskId] == task.TaskId).ToList();
                Assert.Equal(4, ofTask.Count);
                Assert.Equal(["1", "2", "3", "4"], ofTask.Select(s => s.Metadata[EvalMetadata.Trial]).Order());
                Assert.Equal(task.Passed, ofTask.Count(s => s.OutcomeEvaluations[0].Result == OutcomeResult.Satisfied));
            }
        }

        Assert.Equal((0, 100), (run.Report.Arms[0].Passed, run.Report.Arms[1].Passed));
        var comparison = Assert.Single(run.Report.Comparisons);
        Assert.Equal(25, comparison.Improved.Count);
        Assert.Equal(25, comparison.Unchanged);
        Assert.Equal(EvalStatistics.SignTestPValue(25, 0), comparison.PValue);
        Assert.Equal(run.Trials.OrderBy(t => t.SessionId).Select(t => t.SessionId), sessions.Select(s => s.Id).Order().Cast<string?>());
        Assert.Equal(run, await h.Store.GetEvalRunAsync(run.Id, CancellationToken.None));
    }

    [Fact]
    public async Task A_store_at_a_version_is_mounted_as_it_was_then()
    {
        await using var h = new EvalHarness();
        var lessons = await h.LessonStoreAsync([0]);
        var versions = await h.Memory.ListVersionsAsync(Workspaces.Default, lessons, new MemoryVersionQuery(), new PageRequest(10), CancellationToken.None);
        var first = Assert.Single(versions.Value!.Items).Id;
        await h.Memory.CreateMemoryAsync(Workspaces.Default, lessons, "/lessons/t001.md", Lucid.Testing.Models.LessonChatClient.Lesson("t001", Code(1)), Ana, CancellationToken.None);

        var run = await h.RunAsync(Suite(2, 1, WithStore(lessons, "now"), new EvalArm { Name = "then", Kind = EvalArmKind.MemoryVersion, MemoryStoreId = lessons, MemoryVersionId = first }));

        Assert.Equal([1, 1], run.Report!.Arms[0].Tasks.Select(t => t.Passed));
        Assert.Equal([1, 0], run.Report.Arms[1].Tasks.Select(t => t.Passed));
        Assert.Equal("t001", Assert.Single(run.Report.Comparisons[0].Regressed).TaskId);
        var snapshot = run.ArmStores["then"];
        Assert.NotEqual(lessons, snapshot);
        var held = await h.Memory.ReadAllAsync(Workspaces.Default, snapshot, "/", includeContent: true, CancellationToken.None);
        Assert.Equal(["/lessons/t000.md"], held.Value!.Select(m => m.Path));
    }

    [Fact]
    public async Task A_dream_awaiting_review_is_measured_with_its_proposals_and_refused_as_reviewed()
    {
        await using var h = new EvalHarness();
        var input = await h.LessonStoreAsync([]);
        var dream = new Dream
        {
            Id = "drm_review",
            InputStoreId = input,
            SessionIds = ["sesn_1"],
            Model = Model,
            Status = DreamStatus.Running,
            Review = new DreamReview
            {
                State = DreamReviewState.Pending,
                Changes = [new DreamProposedChange { Id = "dchg_1", Op = DreamOperationKind.Add, Path = "/lessons/t000.md", Reason = "seen twice", Content = Lucid.Testing.Models.LessonChatClient.Lesson("t000", Code(0)) }],
            },
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        await h.Store.CreateDreamAsync(dream, CancellationToken.None);

        var run = await h.RunAsync(Suite(1, 2, NoMemory, new EvalArm { Name = "proposed", Kind = EvalArmKind.DreamProposed, DreamId = dream.Id }));
        var reviewed = await h.Evals.CreateAsync(Workspaces.Default, Suite(1, 1, new EvalArm { Name = "reviewed", Kind = EvalArmKind.Dream, DreamId = dream.Id }), Ana, CancellationToken.None);

        Assert.Equal([0, 2], run.Report!.Arms.Select(a => a.Passed));
        Assert.Contains("waits for review", reviewed.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(Lucid.Results.ErrorKind.Conflict, reviewed.Error.Kind);
    }

    [Fact]
    public async Task A_run_that_cannot_mount_an_arm_is_refused_and_leaves_nothing_behind()
    {
        await using var h = new EvalHarness();
        var lessons = await h.LessonStoreAsync([0]);
        var version = (await h.Memory.ListVersionsAsync(Workspaces.Default, lessons, new MemoryVersionQuery(), new PageRequest(10), CancellationToken.None)).Value!.Items[0].Id;

        var created = await h.Evals.CreateAsync(Workspaces.Default, Suite(1, 1,
            new EvalArm { Name = "then", Kind = EvalArmKind.MemoryVersion, MemoryStoreId = lessons, MemoryVersionId = version },
            WithStore("memstore_missing", "gone")), Ana, CancellationToken.None);

        Assert.Equal(Lucid.Results.ErrorKind.NotFound, created.Error!.Kind);
        Assert.Contains("Arm 'gone' (arms[1])", created.Error.Message, StringComparison.Ordinal);
        Assert.Empty((await h.Store.ListEvalRunsAsync(null, new PageRequest(10), CancellationToken.None)).Items);
        Assert.Equal([lessons], (await h.Store.ListMemoryStoresAsync(Workspaces.Default, new MemoryStoreQuery(), new PageRequest(10), CancellationToken.None)).Items.Select(s => s.Id));
        Assert.Empty((await h.Store.ListAgentsAsync(Workspaces.Default, new AgentQuery(), new PageRequest(10), CancellationToken.None)).Items);
    }

    [Fact]
    public async Task Recovery_fails_runs_left_under_way_and_leaves_finished_ones()
    {
        await using var h = new EvalHarness();
        var left = await h.Evals.CreateAsync(Workspaces.Default, Suite(1, 1, NoMemory), Ana, CancellationToken.None);
        var finished = await h.RunAsync(Suite(1, 1, NoMemory));

        Assert.Equal(1, await h.Runner.RecoverAsync(CancellationToken.None));

        var failed = await h.Store.GetEvalRunAsync(left.Value!.Id, CancellationToken.None);
        Assert.Equal(EvalRunStatus.Failed, failed!.Status);
        Assert.Contains("server stopped", failed.Error, StringComparison.Ordinal);
        Assert.Equal(EvalRunStatus.Completed, (await h.Store.GetEvalRunAsync(finished.Id, CancellationToken.None))!.Status);
    }
}
