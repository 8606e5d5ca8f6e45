using Lucid.Dreams;
using Lucid.Dreams.Review;
using Lucid.Memory;
using Lucid.Results;
using Lucid.Storage;
using static Lucid.Core.Tests.Dreams.DreamHarness;

namespace Lucid.Core.Tests.Dreams.Review;

public sealed class DreamReviewServiceTests
{
    private const string OldLesson = "# Payments\n\nPay with a single certificate; never split a payment across methods.\n";
    private const string SplitPath = "/lessons/split-payments.md";
    private const string OldPath = "/lessons/payments.md";

    // A dream over the repeated mistake that proposes two changes: add a split-payment lesson, retire the old one.
    private static async Task<(DreamHarness H, string Store, Dream Dream)> WaitingAsync(DreamOutputBehavior behavior = DreamOutputBehavior.CreateNew)
    {
        var h = new DreamHarness();
        var (logs, errors, fixes, _) = RepeatedMistake();
        await h.SeedAsync(logs);
        var store = await h.StoreAsync((OldPath, OldLesson), ("/people/ana.md", "Ana owns the booking tool."));
        h.Dreamer.Reply(Lessons(new { title = "Split a payment", when = "payment does not add up", @do = "add a card", evidence = fixes.ToArray() }));
        h.Dreamer.Reply(Operations(
            Op("add", SplitPath, "Split a payment that does not cover the total", "`book` fails with \"payment amount does not add up\"",
                "Add a second payment method for the rest.", errors.Take(5).Concat(fixes), "5 of 8 sessions fixed it this way"),
            Op("retire", OldPath, evidence: fixes, reason: "Newer sessions pass only by splitting the payment.")));
        var dream = await h.DreamAsync(store, [.. logs.Select(l => l.SessionId)], behavior, review: true);
        return (h, store, dream);
    }

    private static DreamProposedChange Change(Dream dream, DreamOperationKind op) => Assert.Single(dream.Review!.Changes, c => c.Op == op);

    private async static Task<int> StoreCountAsync(DreamHarness h) =>
        (await h.Store.ListMemoryStoresAsync(Ws, new MemoryStoreQuery { IncludeArchived = true }, new PageRequest(100), None)).Items.Count;

    [Fact]
    public async Task A_dream_with_review_required_stops_after_curate_with_its_changes_proposed_and_writes_nothing()
    {
        var (h, store, dream) = await WaitingAsync();
        using var _ = h;

        Assert.Equal(DreamStatus.Running, dream.Status);
        Assert.True(dream.AwaitsReview);
        Assert.Null(dream.OutputStoreId);
        Assert.Equal([DreamOperationKind.Add, DreamOperationKind.Retire], dream.Review!.Changes.Select(c => c.Op));
        Assert.All(dream.Review.Changes, c => Assert.StartsWith("dchg_", c.Id, StringComparison.Ordinal));
        Assert.All(dream.Review.Changes, c => Assert.Equal(DreamDecision.Pending, c.Decision));
        Assert.Contains("Add a second payment method", Change(dream, DreamOperationKind.Add).Content, StringComparison.Ordinal);
        var retire = Change(dream, DreamOperationKind.Retire);
        Assert.Null(retire.Content);
        Assert.Equal(OldLesson, Assert.Single(retire.Replaces).Content);

        // No output store was made, the input is as it was, and no report exists anywhere.
        Assert.Equal(1, await StoreCountAsync(h));
        Assert.Equal([OldPath, "/people/ana.md"], (await h.MemoriesAsync(store)).Keys.Order(StringComparer.Ordinal));
        var listed = await h.Reviews.ListChangesAsync(Ws, dream.Id, None);
        Assert.Equal(dream.Review.Changes.Select(c => c.Id), listed.Value!.Select(c => c.Id));
    }

    [Fact]
    public async Task Finishing_writes_only_the_accepted_change_and_a_report_of_both_decisions()
    {
        var (h, store, dream) = await WaitingAsync();
        using var _ = h;
        var add = Change(dream, DreamOperationKind.Add);
        var retire = Change(dream, DreamOperationKind.Retire);

        var accepted = await h.Reviews.DecideAsync(Ws, dream.Id, add.Id, DreamDecision.Accepted, "key_ana", None);
        Assert.Equal(("key_ana", DreamDecision.Accepted), (accepted.Value!.DecidedBy, accepted.Value.Decision));
        Assert.True((await h.Reviews.DecideAsync(Ws, dream.Id, retire.Id, DreamDecision.Rejected, "key_bo", None)).IsSuccess);
        var finished = await h.Reviews.FinishAsync(Ws, dream.Id, "key_ana", None);

        Assert.True(finished.IsSuccess, finished.Error?.Message);
        var done = finished.Value!;
        Assert.Equal((DreamStatus.Completed, DreamReviewState.Finished), (done.Status, done.Review!.State));
        Assert.NotNull(done.EndedAt);
        Assert.NotEqual(store, done.OutputStoreId);
        var output = await h.MemoriesAsync(done.OutputStoreId!);
        Assert.Equal([done.ReportPath, OldPath, SplitPath, "/people/ana.md"], output.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(OldLesson, output[OldPath].Content);
        Assert.All(await h.VersionsAsync(done.OutputStoreId!), v => Assert.Equal(MemoryActor.Dream(dream.Id, dream.SessionId!), v.CreatedBy));

        var report = output[done.ReportPath].Content!;
        Assert.Contains($"- Wrote: memory store `{done.OutputStoreId}` (create_new", report, StringComparison.Ordinal);
        Assert.Contains($"### Added `{SplitPath}`", report, StringComparison.Ordinal);
        Assert.Contains($"Review: accepted as `{add.Id}` by key_ana", report, StringComparison.Ordinal);
        Assert.Contains("## Rejected in review", report, StringComparison.Ordinal);
        Assert.Contains($"### Not retired `{OldPath}`", report, StringComparison.Ordinal);
        Assert.Contains($"Review: rejected as `{retire.Id}` by key_bo", report, StringComparison.Ordinal);
        Assert.Contains("Stages done: start, digest, mine, reflect, curate, apply", report, StringComparison.Ordinal);

        // The input store is untouched.
        Assert.Equal([OldPath, "/people/ana.md"], (await h.MemoriesAsync(store)).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_change_is_decided_once_and_nothing_is_decided_after_the_review_is_finished()
    {
        var (h, _, dream) = await WaitingAsync();
        using var __ = h;
        var add = Change(dream, DreamOperationKind.Add);
        var retire = Change(dream, DreamOperationKind.Retire);
        Assert.True((await h.Reviews.DecideAsync(Ws, dream.Id, add.Id, DreamDecision.Accepted, "key_ana", None)).IsSuccess);

        var twice = await h.Reviews.DecideAsync(Ws, dream.Id, add.Id, DreamDecision.Rejected, "key_bo", None);
        Assert.Equal(ErrorKind.Conflict, twice.Error?.Kind);
        Assert.Equal(DreamDecision.Accepted, (await h.Reviews.GetChangeAsync(Ws, dream.Id, add.Id, None)).Value!.Decision);

        var early = await h.Reviews.FinishAsync(Ws, dream.Id, "key_ana", None);
        Assert.Equal(ErrorKind.Conflict, early.Error?.Kind);
        Assert.Contains(retire.Id, early.Error!.Message, StringComparison.Ordinal);
        Assert.True((await h.Store.GetDreamAsync(dream.Id, None))!.AwaitsReview);

        Assert.Equal(ErrorKind.NotFound, (await h.Reviews.DecideAsync(Ws, dream.Id, "dchg_missing", DreamDecision.Accepted, "key_ana", None)).Error?.Kind);
        Assert.Equal(ErrorKind.NotFound, (await h.Reviews.DecideAsync("other", dream.Id, retire.Id, DreamDecision.Accepted, "key_ana", None)).Error?.Kind);
        Assert.Equal(ErrorKind.NotFound, (await h.Reviews.ListChangesAsync("other", dream.Id, None)).Error?.Kind);

        Assert.True((await h.Reviews.DecideAsync(Ws, dream.Id, retire.Id, DreamDecision.Rejected, "key_ana", None)).IsSuccess);
        Assert.True((await h.Reviews.FinishAsync(Ws, dream.Id, "key_ana", None)).IsSuccess);
        Assert.Equal(ErrorKind.Conflict, (await h.Reviews.FinishAsync(Ws, dream.Id, "key_ana", None)).Error?.Kind);
        Assert.Equal(ErrorKind.Conflict, (await h.Reviews.DecideAsync(Ws, dream.Id, retire.Id, DreamDecision.Accepted, "key_ana", None)).Error?.Kind);
    }

    [Fact]
    public async Task Update_existing_under_review_holds_its_store_and_a_memory_changed_since_keeps_the_review_open()
    {
        var (h, store, dream) = await WaitingAsync(DreamOutputBehavior.UpdateExisting);
        using var _ = h;
        var held = await h.Dreams.CreateAsync(Ws, new DreamRequest
        {
            MemoryStoreId = store, SessionIds = dream.SessionIds, Model = Model, OutputBehavior = DreamOutputBehavior.UpdateExisting, UpdateStoreId = store,
        }, None);
        Assert.Equal(ErrorKind.Conflict, held.Error?.Kind);

        var old = (await h.MemoriesAsync(store))[OldPath];
        Assert.True((await h.Memory.UpdateMemoryAsync(Ws, store, old.Id, "Changed by hand.", null, null, MemoryActor.User("user_ana"), None)).IsSuccess);
        foreach (var change in dream.Review!.Changes)
        {
            await h.Reviews.DecideAsync(Ws, dream.Id, change.Id, DreamDecision.Accepted, "key_ana", None);
        }

        var finished = await h.Reviews.FinishAsync(Ws, dream.Id, "key_ana", None);

        Assert.Equal(ErrorKind.PreconditionFailed, finished.Error?.Kind);
        Assert.Contains("the review stays open", finished.Error!.Message, StringComparison.Ordinal);
        var after = await h.MemoriesAsync(store);
        Assert.Equal("Changed by hand.", after[OldPath].Content);
        Assert.DoesNotContain(SplitPath, after.Keys);
        Assert.DoesNotContain(dream.ReportPath, after.Keys);
        Assert.True((await h.Store.GetDreamAsync(dream.Id, None))!.AwaitsReview);
    }

    [Fact]
    public async Task Canceling_a_dream_waiting_for_review_closes_the_review_and_releases_its_store()
    {
        var (h, store, dream) = await WaitingAsync(DreamOutputBehavior.UpdateExisting);
        using var _ = h;

        var canceled = await h.Dreams.CancelAsync(Ws, dream.Id, None);

        Assert.Equal(DreamStatus.Canceled, canceled.Value!.Status);
        var add = Change(dream, DreamOperationKind.Add);
        Assert.Equal(ErrorKind.Conflict, (await h.Reviews.DecideAsync(Ws, dream.Id, add.Id, DreamDecision.Accepted, "key_ana", None)).Error?.Kind);
        Assert.Equal(ErrorKind.Conflict, (await h.Reviews.FinishAsync(Ws, dream.Id, "key_ana", None)).Error?.Kind);
        Assert.DoesNotContain(SplitPath, (await h.MemoriesAsync(store)).Keys);
        Assert.True((await h.Dreams.CreateAsync(Ws, new DreamRequest
        {
            MemoryStoreId = store, SessionIds = dream.SessionIds, Model = Model, OutputBehavior = DreamOutputBehavior.UpdateExisting, UpdateStoreId = store,
        }, None)).IsSuccess);
    }

    [Fact]
    public async Task Recovery_leaves_a_dream_waiting_for_review_as_it_was_without_calling_the_model_again()
    {
        var (h, _, dream) = await WaitingAsync();
        using var _ = h;
        var calls = h.Dreamer.Requests.Count;
        await using var runner = new DreamRunner(h.Pipeline, h.Store);

        Assert.Equal(0, await runner.RecoverAsync(None));

        var after = (await h.Store.GetDreamAsync(dream.Id, None))!;
        Assert.True(after.AwaitsReview);
        Assert.Equal(dream.Review!.Changes.Select(c => c.Id), after.Review!.Changes.Select(c => c.Id));
        Assert.Equal(calls, h.Dreamer.Requests.Count);
    }

    [Fact]
    public async Task Two_finishes_at_once_write_the_accepted_changes_once()
    {
        var (h, _, dream) = await WaitingAsync();
        using var _ = h;
        foreach (var change in dream.Review!.Changes)
        {
            await h.Reviews.DecideAsync(Ws, dream.Id, change.Id, DreamDecision.Accepted, "key_ana", None);
        }

        var both = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => h.Reviews.FinishAsync(Ws, dream.Id, "key_ana", None))));

        Assert.Single(both, r => r.IsSuccess);
        Assert.Single(both, r => r.Error?.Kind == ErrorKind.Conflict);
        Assert.Equal(2, await StoreCountAsync(h));
    }

    [Fact]
    public async Task A_dream_under_review_that_fails_writes_nothing_anywhere()
    {
        var h = new DreamHarness();
        using var _ = h;
        var (logs, _, fixes, _) = RepeatedMistake();
        await h.SeedAsync(logs);
        var store = await h.StoreAsync((OldPath, OldLesson));
        h.Dreamer.Reply(Lessons(new { title = "Split a payment", when = "payment does not add up", @do = "add a card", evidence = fixes.ToArray() }));
        h.Dreamer.Throw(new InvalidOperationException("upstream down"));

        var dream = await h.DreamAsync(store, [.. logs.Select(l => l.SessionId)], DreamOutputBehavior.UpdateExisting, review: true);

        Assert.Equal(DreamStatus.Failed, dream.Status);
        Assert.Equal([OldPath], (await h.MemoriesAsync(store)).Keys);
        Assert.Equal(1, await StoreCountAsync(h));
    }

    [Fact]
    public async Task A_dream_without_review_has_no_changes_to_review()
    {
        var h = new DreamHarness();
        using var _ = h;
        var (logs, _, _, _) = RepeatedMistake();
        await h.SeedAsync(logs);
        var store = await h.StoreAsync();
        h.Dreamer.Reply(Lessons()).Reply(Operations());
        var dream = await h.DreamAsync(store, [.. logs.Select(l => l.SessionId)]);

        Assert.Equal(DreamStatus.Completed, dream.Status);
        Assert.Null(dream.Review);
        Assert.Equal(ErrorKind.Conflict, (await h.Reviews.ListChangesAsync(Ws, dream.Id, None)).Error?.Kind);
    }
}
