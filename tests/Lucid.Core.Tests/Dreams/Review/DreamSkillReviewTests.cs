using Lucid.Dreams;
using Lucid.Dreams.Review;
using Lucid.Files;
using Lucid.Outcomes;
using Lucid.Results;
using Lucid.Storage;
using static Lucid.Core.Tests.Dreams.DreamHarness;

namespace Lucid.Core.Tests.Dreams.Review;

public sealed class DreamSkillReviewTests
{
    private const string SkillName = "book-a-trip";
    private const string Workflow = "get_user → search → book";

    // Three sessions (of two tasks) look the user up, search and book, and pass; a fourth does the same and fails.
    private static (List<SeededLog> Logs, List<string> Steps) Bookings()
    {
        var logs = new List<SeededLog>();
        var steps = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var log = new SeededLog($"sesn_{i}") { TaskId = i == 2 ? "trip-2" : "trip-1" };
            log.User($"Book trip {i}.");
            var calls = new[]
            {
                log.Call("get_user", $$"""{"user":"u{{i}}"}""", "{...}"),
                log.Call("search", """{"from":"SFO","to":"JFK"}""", "[...]"),
                log.Call("book", """{"flight":"F1"}""", "booked"),
            };
            log.Evaluation(0, i < 3 ? OutcomeResult.Satisfied : OutcomeResult.Failed, i < 3 ? "ok" : "wrong trip");
            if (i < 3)
            {
                steps.AddRange(calls);
            }

            logs.Add(log);
        }

        return (logs, steps);
    }

    private static object SkillOp(IEnumerable<string> evidence, string name = SkillName) =>
        Op("add_skill", name, "Books a trip: look the user up, search flights, book the one chosen.", "A user asks to book a trip.",
            "1. Look the user up with get_user.\n2. Search flights with search.\n3. Book with book.", evidence, "The same three steps passed in 3 sessions.");

    // A dream over the bookings whose curation proposes the skill (and nothing else); `curate` replaces the default reply.
    private static async Task<(DreamHarness H, string Store, Dream Dream, List<string> Steps)> ProposedAsync(bool review = true, IBlobStore? blobs = null, params string[] curate)
    {
        var h = new DreamHarness(blobs: blobs);
        var (logs, steps) = Bookings();
        await h.SeedAsync(logs);
        var store = await h.StoreAsync(("/people/ana.md", "Ana owns the booking tool."));
        h.Dreamer.Reply(Lessons(new { title = "Book in three steps", when = "booking", @do = "look up, search, book", evidence = steps.ToArray() }));
        foreach (var reply in curate.Length > 0 ? curate : [Operations(SkillOp(steps))])
        {
            h.Dreamer.Reply(reply);
        }

        var dream = await h.DreamAsync(store, [.. logs.Select(l => l.SessionId)], review: review);
        return (h, store, dream, steps);
    }

    private static DreamProposedChange SkillChange(Dream dream) => Assert.Single(dream.Review!.Changes, c => c.Op == DreamOperationKind.AddSkill);

    private static async Task<int> SkillCountAsync(DreamHarness h) => (await h.Skills.ListAsync(Ws, new PageRequest(100), None)).Items.Count;

    [Fact]
    public async Task A_reviewed_dream_proposes_a_skill_from_a_repeated_workflow_citing_its_sessions()
    {
        var (h, _, dream, steps) = await ProposedAsync();
        using var _ = h;

        var change = SkillChange(dream);
        Assert.Equal(SkillName, change.Path);
        Assert.Null(change.Content);
        Assert.Empty(change.Edits());
        var skill = change.Skill!;
        Assert.Equal(Workflow, skill.Workflow);
        Assert.Equal(["sesn_0", "sesn_1", "sesn_2"], skill.SessionIds);
        Assert.StartsWith($"---\nname: {SkillName}\ndescription: \"Books a trip", skill.Content, StringComparison.Ordinal);
        Assert.Contains("## When to use\n\nA user asks to book a trip.", skill.Content, StringComparison.Ordinal);
        Assert.Contains("## Steps\n\n1. Look the user up with get_user.\n2. Search flights with search.\n3. Book with book.\n", skill.Content, StringComparison.Ordinal);
        Assert.Contains($"- `sesn_2`: `{steps[6]}`, `{steps[7]}`, `{steps[8]}`", skill.Content, StringComparison.Ordinal);
        Assert.Contains($"Workflow `{Workflow}` succeeded in 3 sessions of 2 tasks", dream.Review!.ReportHead, StringComparison.Ordinal);
        Assert.Equal(0, await SkillCountAsync(h));
    }

    [Fact]
    public async Task Accepting_a_skill_change_creates_the_skill_and_a_second_one_of_that_name_is_a_new_version()
    {
        var (h, _, dream, _) = await ProposedAsync();
        using var _ = h;
        var change = SkillChange(dream);

        var accepted = await h.Reviews.DecideAsync(Ws, dream.Id, change.Id, DreamDecision.Accepted, "key_ana", None);

        Assert.True(accepted.IsSuccess, accepted.Error?.Message);
        var skillId = accepted.Value!.SkillId!;
        var version = (await h.Skills.GetVersionAsync(Ws, skillId, "latest", None)).Value!;
        Assert.Equal((accepted.Value.SkillVersionId, SkillName), (version.Id, version.Name));
        Assert.StartsWith("Books a trip", version.Description, StringComparison.Ordinal);
        Assert.Equal(skillId, (await h.Reviews.GetChangeAsync(Ws, dream.Id, change.Id, None)).Value!.SkillId);

        // Finishing writes the report, which names the skill created; no memory is written for it.
        var finished = await h.Reviews.FinishAsync(Ws, dream.Id, "key_ana", None);
        Assert.True(finished.IsSuccess, finished.Error?.Message);
        var output = await h.MemoriesAsync(finished.Value!.OutputStoreId!);
        Assert.Equal([finished.Value.ReportPath, "/people/ana.md"], output.Keys.Order(StringComparer.Ordinal));
        Assert.Contains($"Created as skill `{skillId}` version `{version.Id}`", output[finished.Value.ReportPath].Content, StringComparison.Ordinal);

        // A later dream proposing the same skill adds a version to it.
        var (logs, steps) = Bookings();
        h.Dreamer.Reply(Lessons());
        h.Dreamer.Reply(Operations(SkillOp(steps)));
        var again = await h.DreamAsync(finished.Value.OutputStoreId!, [.. logs.Select(l => l.SessionId)], review: true);
        var second = await h.Reviews.DecideAsync(Ws, again.Id, SkillChange(again).Id, DreamDecision.Accepted, "key_ana", None);
        Assert.Equal(skillId, second.Value!.SkillId);
        Assert.Equal(1, await SkillCountAsync(h));
        var skill = (await h.Skills.GetAsync(Ws, skillId, None)).Value!;
        Assert.Equal(2, (await h.Skills.ListVersionsAsync(skill, new PageRequest(10), None)).Items.Count);
        Assert.Equal(second.Value.SkillVersionId, skill.LatestVersionId);
    }

    [Fact]
    public async Task Rejecting_a_skill_change_creates_nothing()
    {
        var (h, store, dream, _) = await ProposedAsync();
        using var _ = h;

        var rejected = await h.Reviews.DecideAsync(Ws, dream.Id, SkillChange(dream).Id, DreamDecision.Rejected, "key_ana", None);
        var finished = await h.Reviews.FinishAsync(Ws, dream.Id, "key_ana", None);

        Assert.Null(rejected.Value!.SkillId);
        Assert.True(finished.IsSuccess, finished.Error?.Message);
        Assert.Equal(0, await SkillCountAsync(h));
        Assert.Contains($"### Not added skill `{SkillName}`", (await h.MemoriesAsync(finished.Value!.OutputStoreId!))[finished.Value.ReportPath].Content, StringComparison.Ordinal);
        Assert.Equal(["/people/ana.md"], (await h.MemoriesAsync(store)).Keys);
    }

    [Fact]
    public async Task A_skill_that_cannot_be_created_leaves_its_change_pending_and_says_why()
    {
        var (h, _, dream, _) = await ProposedAsync(blobs: new FullDisk());
        using var _ = h;
        var change = SkillChange(dream);

        var accepted = await h.Reviews.DecideAsync(Ws, dream.Id, change.Id, DreamDecision.Accepted, "key_ana", None);

        Assert.Equal(ErrorKind.Conflict, accepted.Error?.Kind);
        Assert.Contains($"The skill '{SkillName}' could not be created, so the change stays pending: No space left on device", accepted.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(DreamDecision.Pending, (await h.Reviews.GetChangeAsync(Ws, dream.Id, change.Id, None)).Value!.Decision);
        Assert.Equal(0, await SkillCountAsync(h));
    }

    [Fact]
    public async Task A_skill_created_for_a_decision_that_is_then_refused_is_deleted_again()
    {
        var blobs = new CancelsWhileStoring();
        var (h, _, dream, _) = await ProposedAsync(blobs: blobs);
        using var _ = h;
        blobs.Cancel = () => h.Store.UpdateDreamAsync(dream.Id, d => d with { Status = DreamStatus.Canceled }, None);

        var accepted = await h.Reviews.DecideAsync(Ws, dream.Id, SkillChange(dream).Id, DreamDecision.Accepted, "key_ana", None);

        Assert.True(blobs.Stored);
        Assert.Equal(ErrorKind.Conflict, accepted.Error?.Kind);
        Assert.Contains("canceled", accepted.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(0, await SkillCountAsync(h));
        Assert.Equal(DreamDecision.Pending, SkillChange((await h.Store.GetDreamAsync(dream.Id, None))!).Decision);
    }

    [Fact]
    public async Task A_dream_without_review_refuses_a_skill_and_writes_its_other_changes()
    {
        var steps = Bookings().Steps;
        var (h, _, dream, _) = await ProposedAsync(review: false, curate: Operations(
            SkillOp([]),
            Op("add", "/lessons/booking.md", "Book in three steps", "A user asks to book a trip.", "Look the user up, search, then book.", steps, "3 sessions passed this way")));
        using var _ = h;

        Assert.Equal(DreamStatus.Completed, dream.Status);
        var output = await h.MemoriesAsync(dream.OutputStoreId!);
        Assert.Contains("/lessons/booking.md", output.Keys);
        Assert.Contains($"add_skill {SkillName}: refused — this dream writes memory directly, without review, so it cannot create a skill", output[dream.ReportPath].Content, StringComparison.Ordinal);
        Assert.Contains("it may not propose skills", h.Dreamer.Requests[^1].Messages[1].Text, StringComparison.Ordinal);
        Assert.Equal(0, await SkillCountAsync(h));
    }

    [Fact]
    public async Task A_skill_must_cite_three_sessions_that_followed_one_mined_workflow()
    {
        var (logs, steps) = Bookings();
        var failing = logs[3].Events.First(e => e.Event is Lucid.Events.AgentToolUseEvent).Event.Id;
        var (h, _, dream, _) = await ProposedAsync(curate:
        [
            Operations(SkillOp(steps.Take(6))),
            Operations(SkillOp([.. steps.Take(6), failing]), SkillOp(steps, "Book_Trip")),
            Operations(SkillOp(steps)),
        ]);
        using var _ = h;

        Assert.True(dream.AwaitsReview, dream.Error?.Message);
        var tail = dream.Review!.ReportTail!;
        Assert.Contains("Attempt 1: operation 1 (add_skill book-a-trip): a skill must cite events of at least 3 sessions that all followed one of the workflows listed (it cites 2 sessions)", tail, StringComparison.Ordinal);
        Assert.Contains("Attempt 2: operation 1 (add_skill book-a-trip): a skill must cite events of at least 3 sessions that all followed one of the workflows listed (it cites 3 sessions that did not all follow one listed workflow)", tail, StringComparison.Ordinal);
        Assert.Contains("operation 2 (add_skill Book_Trip): path is the skill's name.", tail, StringComparison.Ordinal);
        Assert.Equal(SkillName, SkillChange(dream).Path);
    }

    // A blob store on a disk that is full.
    private sealed class FullDisk : IBlobStore
    {
        public Task<StoredBlob?> PutAsync(Stream content, long maxBytes, CancellationToken cancellationToken) => throw new IOException("No space left on device");

        public Task<Stream?> OpenAsync(string sha256, CancellationToken cancellationToken) => Task.FromResult<Stream?>(null);

        public Task DeleteAsync(string sha256, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    // A blob store that stores, but lets something happen to the dream first: the decision then races a cancel.
    private sealed class CancelsWhileStoring : IBlobStore
    {
        private readonly Dictionary<string, byte[]> _blobs = [];

        public Func<Task>? Cancel { get; set; }

        public bool Stored { get; private set; }

        public async Task<StoredBlob?> PutAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
        {
            if (Cancel is { } cancel)
            {
                await cancel();
            }

            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, cancellationToken);
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(buffer.ToArray()));
            _blobs[sha] = buffer.ToArray();
            Stored = true;
            return new StoredBlob(sha, buffer.Length);
        }

        public Task<Stream?> OpenAsync(string sha256, CancellationToken cancellationToken) =>
            Task.FromResult<Stream?>(_blobs.TryGetValue(sha256, out var bytes) ? new MemoryStream(bytes) : null);

        public Task DeleteAsync(string sha256, CancellationToken cancellationToken)
        {
            _blobs.Remove(sha256);
            return Task.CompletedTask;
        }
    }
}
