using Lucid.Dreams;
using Lucid.Dreams.Review;
using Lucid.Sessions;
using Lucid.Storage;

namespace Lucid.Testing.Storage;

/// <summary>The dream-store contract, written once and run against every backend.</summary>
public abstract class DreamContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Returns a new, empty store.</summary>
    protected abstract Task<ILucidStore> CreateStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    private static Dream NewDream(string id, int minute, string store = "memstore_a", DreamOutputBehavior behavior = DreamOutputBehavior.CreateNew, string workspace = "default") => new()
    {
        Id = id,
        WorkspaceId = workspace,
        InputStoreId = store,
        SessionIds = ["sesn_1", "sesn_2"],
        Model = "scripted/dreamer",
        Instructions = "Focus on payments.",
        OutputBehavior = behavior,
        CreatedAt = T0.AddMinutes(minute),
    };

    [Fact]
    public async Task A_dream_round_trips_with_every_field()
    {
        await using var store = await CreateStoreAsync();
        var dream = NewDream("drm_1", 0) with
        {
            Status = DreamStatus.Failed,
            OutputStoreId = "memstore_out",
            SessionId = "sesn_dream",
            Usage = new SessionUsage { InputTokens = 10, OutputTokens = 5, CacheReadInputTokens = 2, CacheCreationInputTokens = 1 },
            Error = new DreamError("model_error", "boom"),
            EndedAt = T0.AddMinutes(3),
        };
        Assert.Null(await store.CreateDreamAsync(dream, None));

        var read = await store.GetDreamAsync("drm_1", None);
        Assert.NotNull(read);
        Assert.Equal(dream with { SessionIds = [] }, read with { SessionIds = [] });
        Assert.Equal(dream.SessionIds, read.SessionIds);
        Assert.Null(await store.GetDreamAsync("drm_missing", None));
    }

    [Fact]
    public async Task A_dream_under_review_round_trips_its_proposed_changes_and_decisions()
    {
        await using var store = await CreateStoreAsync();
        var merge = new DreamProposedChange
        {
            Id = "dchg_1",
            Op = DreamOperationKind.Merge,
            Path = "/lessons/a.md",
            Sources = ["/lessons/a.md", "/lessons/b.md"],
            Reason = "They say the same.",
            EventIds = ["sevt_1"],
            Content = "# Merged\n",
            Replaces = [new DreamReplacedMemory("/lessons/a.md", "memver_a", "aa", "# A\n"), new DreamReplacedMemory("/lessons/b.md", "memver_b", "bb", "# B\n")],
        };
        var dream = NewDream("drm_1", 0, behavior: DreamOutputBehavior.UpdateExisting) with
        {
            Status = DreamStatus.Running,
            Review = new DreamReview { State = DreamReviewState.Pending, Changes = [merge], ReportHead = "# Dream drm_1\n", ReportTail = "## Candidate lessons\n" },
        };
        Assert.Null(await store.CreateDreamAsync(dream, None));
        await store.UpdateDreamAsync("drm_1", d => d with
        {
            Review = d.Review! with { Changes = [d.Review.Changes[0] with { Decision = DreamDecision.Accepted, DecidedBy = "key_1", DecidedAt = T0.AddMinutes(5) }] },
        }, None);

        var read = (await store.GetDreamAsync("drm_1", None))?.Review;
        Assert.NotNull(read);
        Assert.Equal((DreamReviewState.Pending, "# Dream drm_1\n", "## Candidate lessons\n"), (read.State, read.ReportHead, read.ReportTail));
        var change = Assert.Single(read.Changes);
        Assert.Equal((merge.Id, merge.Op, merge.Path, merge.Reason, merge.Content), (change.Id, change.Op, change.Path, change.Reason, change.Content));
        Assert.Equal(merge.Sources, change.Sources);
        Assert.Equal(merge.EventIds, change.EventIds);
        Assert.Equal(merge.Replaces, change.Replaces);
        Assert.Equal((DreamDecision.Accepted, "key_1", T0.AddMinutes(5)), (change.Decision, change.DecidedBy, change.DecidedAt));

        // Still running, it holds its store; the first page of a list shows it as waiting.
        Assert.Equal("drm_1", await store.CreateDreamAsync(NewDream("drm_2", 1, behavior: DreamOutputBehavior.UpdateExisting), None));
        Assert.True(Assert.Single((await store.ListDreamsAsync("default", new DreamQuery(), new PageRequest(10), None)).Items).AwaitsReview);
    }

    [Fact]
    public async Task Update_existing_dreams_hold_their_store_until_they_stop()
    {
        await using var store = await CreateStoreAsync();
        Assert.Null(await store.CreateDreamAsync(NewDream("drm_1", 0, behavior: DreamOutputBehavior.UpdateExisting), None));
        Assert.Equal("drm_1", await store.CreateDreamAsync(NewDream("drm_2", 1, behavior: DreamOutputBehavior.UpdateExisting), None));
        Assert.Null(await store.GetDreamAsync("drm_2", None));

        // create_new dreams and other stores are not held.
        Assert.Null(await store.CreateDreamAsync(NewDream("drm_3", 2), None));
        Assert.Null(await store.CreateDreamAsync(NewDream("drm_4", 3, store: "memstore_b", behavior: DreamOutputBehavior.UpdateExisting), None));

        await store.UpdateDreamAsync("drm_1", d => d with { Status = DreamStatus.Running }, None);
        Assert.Equal("drm_1", await store.CreateDreamAsync(NewDream("drm_5", 4, behavior: DreamOutputBehavior.UpdateExisting), None));
        await store.UpdateDreamAsync("drm_1", d => d with { Status = DreamStatus.Canceled, EndedAt = T0 }, None);
        Assert.Null(await store.CreateDreamAsync(NewDream("drm_5", 4, behavior: DreamOutputBehavior.UpdateExisting), None));
    }

    [Fact]
    public async Task Concurrent_update_existing_creates_let_exactly_one_through()
    {
        await using var store = await CreateStoreAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => store.CreateDreamAsync(NewDream($"drm_{i}", i, behavior: DreamOutputBehavior.UpdateExisting), None))));
        Assert.Single(results, r => r is null);
    }

    [Fact]
    public async Task Update_sees_the_stored_dream_and_null_leaves_it_unchanged()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateDreamAsync(NewDream("drm_1", 0), None);
        var running = await store.UpdateDreamAsync("drm_1", d => d.Status == DreamStatus.Pending ? d with { Status = DreamStatus.Running } : null, None);
        Assert.Equal(DreamStatus.Running, running?.Status);
        var again = await store.UpdateDreamAsync("drm_1", d => d.Status == DreamStatus.Pending ? d with { Status = DreamStatus.Failed } : null, None);
        Assert.Equal(DreamStatus.Running, again?.Status);
        Assert.Equal(DreamStatus.Running, (await store.GetDreamAsync("drm_1", None))?.Status);
        Assert.Null(await store.UpdateDreamAsync("drm_missing", d => d, None));
    }

    [Fact]
    public async Task Lists_are_newest_first_filtered_and_paged_per_workspace()
    {
        await using var store = await CreateStoreAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.CreateDreamAsync(NewDream($"drm_{i}", i), None);
        }

        await store.CreateDreamAsync(NewDream("drm_other", 9, workspace: "other"), None);
        await store.UpdateDreamAsync("drm_1", d => d with { Status = DreamStatus.Completed, ArchivedAt = T0 }, None);
        await store.UpdateDreamAsync("drm_2", d => d with { Status = DreamStatus.Running }, None);

        var first = await store.ListDreamsAsync("default", new DreamQuery(), new PageRequest(2), None);
        Assert.Equal(["drm_4", "drm_3"], first.Items.Select(d => d.Id));
        var second = await store.ListDreamsAsync("default", new DreamQuery(), new PageRequest(2, first.NextPage), None);
        Assert.Equal(["drm_2", "drm_0"], second.Items.Select(d => d.Id));
        Assert.Null(second.NextPage);

        var archived = await store.ListDreamsAsync("default", new DreamQuery { IncludeArchived = true }, new PageRequest(10), None);
        Assert.Equal(5, archived.Items.Count);
        var running = await store.ListDreamsAsync("default", new DreamQuery { Statuses = new HashSet<DreamStatus> { DreamStatus.Running } }, new PageRequest(10), None);
        Assert.Equal(["drm_2"], running.Items.Select(d => d.Id));
        var window = await store.ListDreamsAsync("default", new DreamQuery { CreatedAfter = T0.AddMinutes(0), CreatedBefore = T0.AddMinutes(4) }, new PageRequest(10), None);
        Assert.Equal(["drm_3", "drm_2"], window.Items.Select(d => d.Id));
        var everywhere = await store.ListDreamsAsync(null, new DreamQuery(), new PageRequest(10), None);
        Assert.Equal("drm_other", everywhere.Items[0].Id);
    }
}
