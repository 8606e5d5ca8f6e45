using System.Globalization;
using Lucid.Dreams.Validation;
using Lucid.Evals;
using Lucid.Memory;
using Lucid.Storage;

namespace Lucid.Dreams.Stages;

/// <summary>
/// The validate stage (opt-in, after curation): each lesson the dream would write is replayed — the tasks of the
/// sessions its evidence comes from, and a few unrelated tasks — in an eval run with two arms, the output store as it
/// is (<c>without</c>) and a copy of it with the lesson written (<c>with</c>). A lesson whose lift is not above the
/// dream's <see cref="DreamValidation.MinLift"/> is dropped from the changes. The plan and its estimated cost are noted
/// before any trial runs, and a plan over <see cref="DreamValidation.MaxTrials"/> is refused.
/// </summary>
internal sealed class ValidateStage(DreamRun run, ILucidStore store, MemoryService memory, LessonReplay? replay, DreamEvidence evidence)
{
    private const string Without = "without";
    private const string With = "with";

    public async Task<CuratedDream> RunAsync(CuratedDream curated, CancellationToken cancellationToken)
    {
        var dream = run.Dream;
        var settings = dream.Validation ?? throw new InvalidOperationException($"Dream '{dream.Id}' does not validate its lessons.");
        if (replay is null)
        {
            throw new DreamFailedException("validation_unavailable", "This host cannot run trial sessions, so it cannot validate lessons by replay. Create the dream without validation.");
        }

        var tasks = await ReplayTasks.ReadAsync(store, dream, cancellationToken);
        var plans = curated.Plan.Changes.Where(c => c.Content is not null).Select(change =>
        {
            var supporting = tasks.Replayable(evidence.TasksOf(change.EventIds).Tasks);
            return (Change: change, Supporting: supporting, Unrelated: supporting.Count == 0 ? [] : tasks.Unrelated([.. supporting], settings.UnrelatedTasks));
        }).ToList();
        var planned = plans.Sum(p => (p.Supporting.Count + p.Unrelated.Count) * settings.Trials * 2);
        await run.NoteAsync(DreamStage.Validate, Plan(plans.Count, plans.Count(p => p.Supporting.Count > 0), planned, settings, tasks.CostPerSession), cancellationToken);
        if (planned > settings.MaxTrials)
        {
            throw new DreamFailedException("validation_over_budget", string.Create(CultureInfo.InvariantCulture,
                $"Validating the {plans.Count} lessons would run {planned} trial sessions, over validation.max_trials ({settings.MaxTrials}); no trial ran. Raise max_trials, lower trials or unrelated_tasks, or dream without validation."))
            {
                Report = curated.Report with { Validation = settings with { PlannedTrials = planned } },
            };
        }

        var lifts = new List<LessonLift>();
        foreach (var (plan, index) in plans.Select((p, i) => (p, i + 1)))
        {
            var lift = plan.Supporting.Count == 0
                ? new LessonLift { Path = plan.Change.Path, Kept = true, Note = "not measured: none of the sessions its evidence comes from is a trial of an eval run, so no task could be replayed" }
                : await ReplayAsync(curated, plan.Change, plan.Supporting, plan.Unrelated, tasks, settings, $"lesson {index} of {plans.Count}", cancellationToken);
            lifts.Add(lift);
            await run.NoteAsync(DreamStage.Validate, Describe(lift, settings.MinLift), cancellationToken);
        }

        var validation = settings with { PlannedTrials = planned, Lessons = lifts };
        await store.UpdateDreamAsync(dream.Id, d => d with { Validation = validation }, cancellationToken);
        return new CuratedDream((curated.Report with { Validation = validation }).Done(DreamStage.Validate), curated.OutputStoreId, Keep(curated.Plan, lifts));
    }

    // The plan without the dropped lessons: their changes and every edit of their paths (no two changes share a path).
    private static DreamCuration.Plan Keep(DreamCuration.Plan plan, List<LessonLift> lifts)
    {
        var dropped = lifts.Where(l => !l.Kept).Select(l => l.Path).ToHashSet(StringComparer.Ordinal);
        var changes = plan.Changes.Where(c => c.Content is null || !dropped.Contains(c.Path)).ToList();
        var paths = plan.Changes.Where(c => c.Content is not null && dropped.Contains(c.Path)).SelectMany(c => c.Sources.Append(c.Path)).ToHashSet(StringComparer.Ordinal);
        return plan with { Changes = changes, Edits = [.. plan.Edits.Where(e => !paths.Contains(e.Path))] };
    }

    private async Task<LessonLift> ReplayAsync(
        CuratedDream curated, DreamChange change, IReadOnlyList<string> supporting, IReadOnlyList<string> unrelated, ReplayTasks tasks, DreamValidation settings, string which, CancellationToken cancellationToken)
    {
        var dream = run.Dream;
        var source = tasks.Source!;
        var withLesson = await WithLessonAsync(curated, change, cancellationToken);
        var suite = new EvalSuite
        {
            Name = Limit($"validate {dream.Id}: {change.Path}"),
            Agent = new EvalAgent(source.AgentId, null),
            EnvironmentId = source.EnvironmentId,
            Tasks = [.. supporting.Concat(unrelated).Select(t => tasks.Find(t)!)],
            Arms =
            [
                new EvalArm { Name = Without, Kind = EvalArmKind.MemoryStore, MemoryStoreId = curated.OutputStoreId },
                new EvalArm { Name = With, Kind = EvalArmKind.MemoryStore, MemoryStoreId = withLesson },
            ],
            Trials = settings.Trials,
            MaxIterations = source.Suite.MaxIterations,
            GraderModel = source.Suite.GraderModel,
        };
        var progress = run.Progress is null ? null : new Progress(run.Progress, $"{which} ({change.Path})");
        var ran = DreamFailedException.Unwrap(await replay!.RunAsync(dream.WorkspaceId, suite, run.Actor, dream.Id, progress, cancellationToken), "validation_failed",
            $"The replay of {change.Path} could not start: ");
        cancellationToken.ThrowIfCancellationRequested();
        if (ran.Report is not { } report)
        {
            throw new DreamFailedException("validation_failed", $"The replay of {change.Path} (eval run {ran.Id}) did not complete: {ran.Error}");
        }

        var comparison = report.Comparisons[0];
        var lift = comparison.MeanDifference;
        return new LessonLift
        {
            Path = change.Path,
            SupportingTasks = supporting,
            UnrelatedTasks = unrelated,
            EvalRunId = ran.Id,
            Trials = report.Arms[0].Trials,
            PassedWithout = report.Arms[0].Passed,
            PassedWith = report.Arms[1].Passed,
            Lift = lift,
            SupportingLift = MeanDifference(report, supporting),
            UnrelatedLift = unrelated.Count == 0 ? null : MeanDifference(report, unrelated),
            PValue = comparison.PValue,
            Kept = lift > settings.MinLift,
        };
    }

    // A copy of the output store as it is, with this one lesson's edits applied: what the "with" arm mounts.
    private async Task<string> WithLessonAsync(CuratedDream curated, DreamChange change, CancellationToken cancellationToken)
    {
        var dream = run.Dream;
        var paths = change.Sources.Append(change.Path).ToHashSet(StringComparer.Ordinal);
        var memories = DreamFailedException.Unwrap(await memory.ReadAllAsync(dream.WorkspaceId, curated.OutputStoreId, "/", includeContent: true, cancellationToken), "input_unavailable");
        var created = DreamFailedException.Unwrap(await memory.CreateStoreAsync(dream.WorkspaceId, Limit($"{dream.Id} with {change.Path}"),
            $"The output store of dream {dream.Id} with only the lesson at {change.Path} added, for its validation by replay.",
            new Dictionary<string, string>(StringComparer.Ordinal) { [EvalMetadata.ValidatesDreamId] = dream.Id }, cancellationToken), "internal_error");
        var copy = memories.Where(m => !Dream.IsReportPath(m.Path)).Select(m => MemoryEdit.Create(m.Path, m.Content ?? "")).ToList();
        foreach (var edits in new[] { copy, [.. curated.Plan.Edits.Where(e => paths.Contains(e.Path))] })
        {
            if (edits.Count > 0)
            {
                DreamFailedException.Unwrap(await memory.ApplyEditsAsync(dream.WorkspaceId, created.Id, edits, run.Actor, cancellationToken), "internal_error",
                    $"Writing the lesson at {change.Path} into a copy of the output store failed: ");
            }
        }

        return created.Id;
    }

    private static double MeanDifference(EvalReport report, IReadOnlyList<string> taskIds) =>
        taskIds.Select(t => report.Arms[1].Tasks.First(s => s.TaskId == t).PassRate - report.Arms[0].Tasks.First(s => s.TaskId == t).PassRate).Average();

    private static string Plan(int lessons, int replayable, int planned, DreamValidation settings, decimal? costPerSession) => string.Create(CultureInfo.InvariantCulture,
        $"Validation by replay: {lessons} lessons, {replayable} with tasks to replay; {planned} trial sessions ({settings.Trials} per task per arm, with and without each lesson, {settings.UnrelatedTasks} unrelated tasks each){(costPerSession is { } cost ? $", about ${cost * planned:0.00} at the input sessions' average of ${cost:0.0000} each" : ", cost unknown (the input sessions' models had no prices)")}; budget {settings.MaxTrials} trial sessions.");

    private static string Describe(LessonLift lift, double minLift) => lift.Lift is not { } measured
        ? $"{lift.Path}: kept, {lift.Note}."
        : string.Create(CultureInfo.InvariantCulture,
            $"{lift.Path}: lift {LessonLift.Show(measured)} ({lift.PassedWith}/{lift.Trials} passed with it, {lift.PassedWithout}/{lift.Trials} without; p = {lift.PValue:0.####}; eval run {lift.EvalRunId}): {(lift.Kept ? "kept" : $"dropped, not above the minimum lift {minLift:0.00}")}.");

    private static string Limit(string name) => name.Length <= MemoryService.MaxNameLength ? name : name[..MemoryService.MaxNameLength];

    // Trials as they finish, shown (not journaled) as the validate stage's progress.
    private sealed class Progress(IProgress<DreamProgress> to, string what) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value) =>
            to.Report(new DreamProgress(DreamStage.Validate, string.Create(CultureInfo.InvariantCulture, $"{what}: {value.Done}/{value.Total} trials")));
    }
}
