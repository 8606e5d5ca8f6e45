using Lucid.Dreams;
using Lucid.Events;
using Lucid.Memory;
using Lucid.Models;
using Microsoft.Extensions.AI;
using static Lucid.Core.Tests.Dreams.DreamHarness;

namespace Lucid.Core.Tests.Dreams;

public sealed class DreamPipelineTests
{
    private const string OldLesson = "# Payments\n\nPay with a single certificate; never split a payment across methods.\n";

    private static async Task<(DreamHarness H, string Store, List<string> Sessions, List<string> Errors, List<string> Fixes, List<string> Evaluations)> SeededAsync(DreamOptions? options = null)
    {
        var h = new DreamHarness(options);
        var (logs, errors, fixes, evaluations) = RepeatedMistake();
        await h.SeedAsync(logs);
        var store = await h.StoreAsync(("/lessons/payments.md", OldLesson), ("/people/ana.md", "Ana owns the booking tool."));
        return (h, store, [.. logs.Select(l => l.SessionId)], errors, fixes, evaluations);
    }

    private static void ScriptLearning(DreamHarness h, List<string> errors, List<string> fixes, List<string> evaluations)
    {
        h.Dreamer.Reply(Lessons(
            new { title = "Split a payment that does not cover the total", when = "book fails with 'payment amount does not add up'", @do = "Add a second payment method for the rest; keep the passengers as asked.", evidence = errors.Take(5).Concat(fixes).ToArray() },
            new { title = "Book the passengers the user asked for", when = "changing the booking to make a payment fit", @do = "Never change the passenger count.", evidence = evaluations.Skip(5).Append("sevt_made_up").ToArray() },
            new { title = "Invented", when = "never", @do = "nothing", evidence = new[] { "sevt_invented" } }));
        h.Dreamer.Reply(Operations(
            Op("add", "/lessons/split-payments.md", "Split a payment that does not cover the total", "`book` fails with \"payment amount does not add up\"",
                "Add a second payment method (a card) for the rest of the total. Do not change the passenger count.", errors.Take(5).Concat(fixes), "5 of 8 sessions fixed it this way and passed"),
            Op("retire", "/lessons/payments.md", evidence: fixes, reason: "Newer sessions pass only by splitting the payment, which this lesson forbids.")));
    }

    [Fact]
    public async Task A_dream_over_a_repeated_mistake_adds_a_cited_lesson_retires_the_contradicted_one_and_leaves_the_input_alone()
    {
        var (h, store, sessions, errors, fixes, evaluations) = await SeededAsync();
        using var _ = h;
        var inputBefore = await h.MemoriesAsync(store);
        var inputVersions = (await h.VersionsAsync(store)).Count;
        ScriptLearning(h, errors, fixes, evaluations);

        var dream = await h.DreamAsync(store, sessions);

        Assert.Equal(DreamStatus.Completed, dream.Status);
        Assert.Null(dream.Error);
        Assert.NotNull(dream.EndedAt);
        Assert.NotEqual(store, dream.OutputStoreId);
        Assert.Equal((20, 10), (dream.Usage.InputTokens, dream.Usage.OutputTokens));

        var output = await h.MemoriesAsync(dream.OutputStoreId!);
        Assert.Equal(["/dreams/" + dream.Id + ".md", "/lessons/split-payments.md", "/people/ana.md"], output.Keys.Order(StringComparer.Ordinal));
        var lesson = output["/lessons/split-payments.md"].Content!;
        Assert.Contains("**When it applies:**", lesson, StringComparison.Ordinal);
        Assert.Contains("**What to do:** Add a second payment method", lesson, StringComparison.Ordinal);
        Assert.Contains("seen in 5 of 8 sessions", lesson, StringComparison.Ordinal);
        foreach (var session in sessions.Take(5))
        {
            Assert.Contains($"`{session}`", lesson, StringComparison.Ordinal);
        }

        Assert.Contains($"`{fixes[0]}`", lesson, StringComparison.Ordinal);

        // The retired lesson is gone from the output but kept in its history, and the report says why, with citations.
        var versions = await h.VersionsAsync(dream.OutputStoreId!);
        var retired = Assert.Single(versions, v => v.Operation == MemoryOperation.Deleted);
        Assert.Equal("/lessons/payments.md", retired.Path);
        Assert.Contains(versions, v => v.Path == "/lessons/payments.md" && v.Content == OldLesson);
        Assert.All(versions, v => Assert.Equal(MemoryActor.Dream(dream.Id, dream.SessionId!), v.CreatedBy));

        var report = output["/dreams/" + dream.Id + ".md"].Content!;
        Assert.Contains("`book` failed with \"Error: payment amount does not add up, total price is <n>, but paid <n>\" in 8 sessions (8 times); fixed by `~payment_methods` in 5 of 8 sessions", report, StringComparison.Ordinal);
        Assert.Contains("Outcome criterion \"books what the user asked\" unmet 2 times in 2 sessions", report, StringComparison.Ordinal);
        Assert.Contains($"- Wrote: memory store `{dream.OutputStoreId}` (create_new: a copy of the input)", report, StringComparison.Ordinal);
        Assert.Contains("### Added `/lessons/split-payments.md`", report, StringComparison.Ordinal);
        Assert.Contains("### Retired `/lessons/payments.md`", report, StringComparison.Ordinal);
        Assert.Contains($"Contradicted by: `{fixes[0]}`", report, StringComparison.Ordinal);
        Assert.Contains("dropped: \"Invented\" cited no event of the input sessions", report, StringComparison.Ordinal);
        Assert.DoesNotContain("sevt_made_up", report, StringComparison.Ordinal);

        // create_new: the input store did not change at all.
        Assert.Equal(inputBefore.Values.Select(m => (m.Path, m.VersionId)), (await h.MemoriesAsync(store)).Values.Select(m => (m.Path, m.VersionId)));
        Assert.Equal(inputVersions, (await h.VersionsAsync(store)).Count);

        // The model was shown the mined counts, and the dream's session shows what it read and wrote.
        Assert.Contains("payment amount does not add up", h.Dreamer.Requests[0].AllText, StringComparison.Ordinal);
        var events = await h.SessionEventsAsync(dream.SessionId!);
        var tools = events.Select(e => e.Event).OfType<AgentToolUseEvent>().Select(e => e.Name).ToList();
        Assert.Equal(["read_memory_store", "create_memory_store", "read_sessions", "write_memory", "write_memory", "write_memory"], tools);
        Assert.Equal(2, events.Count(e => e.Event is SpanModelRequestEndEvent));
        Assert.Contains(events, e => e.Event is AgentMessageEvent m && ((TextBlock)m.Content[0]).Text.StartsWith("[reflect] 2 candidate lessons", StringComparison.Ordinal));
        Assert.Equal(20, (await h.Store.GetSessionAsync(dream.SessionId!, None))!.Usage.InputTokens);
    }

    [Fact]
    public async Task Update_existing_writes_the_lessons_into_the_input_store()
    {
        var (h, store, sessions, errors, fixes, evaluations) = await SeededAsync();
        using var _ = h;
        ScriptLearning(h, errors, fixes, evaluations);

        var dream = await h.DreamAsync(store, sessions, DreamOutputBehavior.UpdateExisting);

        Assert.Equal(DreamStatus.Completed, dream.Status);
        Assert.Equal(store, dream.OutputStoreId);
        var memories = await h.MemoriesAsync(store);
        Assert.Contains("/lessons/split-payments.md", memories.Keys);
        Assert.DoesNotContain("/lessons/payments.md", memories.Keys);
        Assert.Contains("/dreams/" + dream.Id + ".md", memories.Keys);
    }

    [Fact]
    public async Task Over_budget_curation_is_rejected_and_curated_again_never_cut()
    {
        var (h, store, sessions, errors, fixes, _) = await SeededAsync(new DreamOptions { MemoryBudgetBytes = 1_500 });
        using var __ = h;
        var padding = string.Join(' ', Enumerable.Repeat("Check every payment method's balance before booking.", 12));
        h.Dreamer.Reply(Lessons(new { title = "Split payments", when = "payment does not add up", @do = "add a card", evidence = fixes.ToArray() }));
        h.Dreamer.Reply(Operations(
            Op("add", "/lessons/a.md", "Split payments", "a payment does not add up", padding, fixes),
            Op("add", "/lessons/b.md", "Balances", "before booking", "Look at " + padding, errors)));
        h.Dreamer.Reply(Operations(
            Op("add", "/lessons/split-payments.md", "Split payments", "a payment does not add up", "Add a card for the rest.", fixes),
            Op("retire", "/lessons/payments.md", evidence: fixes, reason: "contradicted")));

        var dream = await h.DreamAsync(store, sessions);

        Assert.Equal(DreamStatus.Completed, dream.Status);
        Assert.Equal(3, h.Dreamer.Requests.Count);
        Assert.Contains("over its budget of 1,500 bytes", h.Dreamer.Requests[2].AllText, StringComparison.Ordinal);
        var output = await h.MemoriesAsync(dream.OutputStoreId!);
        Assert.DoesNotContain("/lessons/a.md", output.Keys);
        Assert.True(output.Values.Where(m => !m.Path.StartsWith("/dreams/", StringComparison.Ordinal)).Sum(m => m.ContentSizeBytes) <= 1_500);
        Assert.Contains("Attempt 1:", output["/dreams/" + dream.Id + ".md"].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curation_that_stays_over_budget_fails_the_dream_without_writing_a_lesson()
    {
        var (h, store, sessions, _, fixes, _) = await SeededAsync(new DreamOptions { MemoryBudgetBytes = 100, MaxCurateAttempts = 2 });
        using var __ = h;
        h.Dreamer.Reply(Lessons(new { title = "Split payments", when = "payment does not add up", @do = "add a card", evidence = fixes.ToArray() }));
        for (var i = 0; i < 2; i++)
        {
            h.Dreamer.Reply(Operations(Op("add", "/lessons/split.md", "Split payments", "a payment does not add up", "Add a card for the rest.", fixes)));
        }

        var dream = await h.DreamAsync(store, sessions);

        Assert.Equal(DreamStatus.Failed, dream.Status);
        Assert.Equal("memory_budget_exceeded", dream.Error?.Type);
        var output = await h.MemoriesAsync(dream.OutputStoreId!);
        Assert.DoesNotContain("/lessons/split.md", output.Keys);
        Assert.Contains("failed (memory_budget_exceeded)", output["/dreams/" + dream.Id + ".md"].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fake_api_key_in_a_transcript_never_reaches_any_memory_or_version()
    {
        const string Key = "sk-ant-api03-FAKEfakeFAKEfake0123456789abcdefXYZ";
        using var h = new DreamHarness();
        var log = new SeededLog("sesn_key");
        log.User($"Deploy with ANTHROPIC_API_KEY={Key} please.");
        var use = log.ToolUse("bash", """{"command":"deploy"}""");
        var error = log.ToolResult(use, "Error: missing key", isError: true);
        var fix = log.Call("bash", """{"command":"deploy --key-from-env"}""", "ok");
        await h.SeedAsync([log]);
        var store = await h.StoreAsync();
        h.Dreamer.Reply(Lessons(new { title = "Keys", when = "deploying", @do = $"use {Key}", evidence = new[] { fix } }));
        h.Dreamer.Reply(Operations(
            Op("add", "/lessons/deploy-key.md", "Deploy key", "deploying", $"Use the key {Key}.", [error, fix]),
            Op("add", "/lessons/deploy.md", "Deploy with the key from the environment", "deploy fails for a missing key", "Pass --key-from-env; never paste a key.", [error, fix])));

        var dream = await h.DreamAsync(store, ["sesn_key"]);

        Assert.Equal(DreamStatus.Completed, dream.Status);
        Assert.All(h.Dreamer.Requests, r => Assert.DoesNotContain(Key, r.AllText, StringComparison.Ordinal));
        foreach (var id in new[] { store, dream.OutputStoreId! })
        {
            Assert.All(await h.VersionsAsync(id), v => Assert.DoesNotContain(Key, v.Content ?? "", StringComparison.Ordinal));
        }

        var output = await h.MemoriesAsync(dream.OutputStoreId!);
        Assert.Contains("/lessons/deploy.md", output.Keys);
        Assert.DoesNotContain("/lessons/deploy-key.md", output.Keys);
        Assert.Contains("add /lessons/deploy-key.md: refused — it contained an Anthropic API key", output["/dreams/" + dream.Id + ".md"].Content, StringComparison.Ordinal);
        Assert.All(await h.SessionEventsAsync(dream.SessionId!), e => Assert.DoesNotContain(Key, System.Text.Json.JsonSerializer.Serialize(e.Event, Lucid.Json.LucidJsonContext.Default.SessionEvent), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Recalled_memory_text_is_never_shown_to_the_model_as_something_to_learn()
    {
        const string Recalled = "ALWAYS-USE-BLUE-WIDGETS";
        using var h = new DreamHarness();
        var log = new SeededLog("sesn_recall");
        log.User("Build the widget.");
        log.Call("read", """{"file_path":"/mnt/memory/airline-lessons/widgets.md"}""", MemoryRecall.Wrap("airline-lessons", "memver_1", Recalled));
        var fix = log.Call("bash", """{"command":"make"}""", "built");
        await h.SeedAsync([log]);
        var store = await h.StoreAsync(("/widgets.md", Recalled));
        h.Dreamer.Reply(Lessons());
        h.Dreamer.Reply(Operations());

        var dream = await h.DreamAsync(store, ["sesn_recall"]);

        Assert.Equal(DreamStatus.Completed, dream.Status);
        // The store itself is shown (as the store), but the transcript's copy of it is not part of what to learn from.
        var digests = h.Dreamer.Requests[0].AllText;
        var storeSection = digests.IndexOf("# The memory store now", StringComparison.Ordinal);
        Assert.DoesNotContain(Recalled, digests[..storeSection], StringComparison.Ordinal);
        Assert.Contains("memory read: /mnt/memory/airline-lessons/widgets.md", digests, StringComparison.Ordinal);
        Assert.Single((await h.MemoriesAsync(dream.OutputStoreId!)).Values, m => m.Content == Recalled);
    }

    [Fact]
    public async Task Curation_citing_unknown_events_or_repeating_a_memory_is_rejected_and_curated_again()
    {
        var (h, store, sessions, _, fixes, _) = await SeededAsync();
        using var __ = h;
        h.Dreamer.Reply(Lessons(new { title = "Split payments", when = "payment does not add up", @do = "add a card", evidence = fixes.ToArray() }));
        h.Dreamer.Reply(Operations(
            Op("add", "/lessons/made-up.md", "Made up", "always", "Trust me.", ["sevt_nowhere"]),
            Op("add", "/lessons/payments-again.md", "Payments", "paying", "Pay with a single certificate; never split a payment across methods.", fixes)));
        h.Dreamer.Reply(Operations(Op("update", "/lessons/payments.md", "Split a payment that does not cover the total", "payment does not add up", "Add a card for the rest.", fixes)));

        var dream = await h.DreamAsync(store, sessions);

        Assert.Equal(DreamStatus.Completed, dream.Status);
        var feedback = h.Dreamer.Requests[2].AllText;
        Assert.Contains("sevt_nowhere", feedback, StringComparison.Ordinal);
        Assert.Contains("repeats the memory at /lessons/payments.md", feedback, StringComparison.Ordinal);
        var output = await h.MemoriesAsync(dream.OutputStoreId!);
        Assert.Contains("Add a card for the rest.", output["/lessons/payments.md"].Content, StringComparison.Ordinal);
        Assert.Equal(3, output.Count);
    }

    [Fact]
    public async Task A_dream_whose_model_fails_ends_failed_with_an_error_and_keeps_what_it_wrote()
    {
        var (h, store, sessions, _, _, _) = await SeededAsync();
        using var __ = h;
        h.Dreamer.Throw(new ModelRequestException(ModelErrorKind.Overloaded, "The provider is overloaded (529).", 529));

        var dream = await h.DreamAsync(store, sessions);

        Assert.Equal(DreamStatus.Failed, dream.Status);
        Assert.Equal("overloaded", dream.Error?.Type);
        Assert.Contains("reflect stage failed", dream.Error?.Message, StringComparison.Ordinal);
        var output = await h.MemoriesAsync(dream.OutputStoreId!);
        Assert.Equal(OldLesson, output["/lessons/payments.md"].Content);
        var report = output["/dreams/" + dream.Id + ".md"].Content!;
        Assert.Contains("failed (overloaded)", report, StringComparison.Ordinal);
        Assert.Contains("Stages done: start, digest, mine", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopped_run_with_cancel_when_stopped_ends_canceled_and_releases_the_store_hold()
    {
        var (h, store, sessions, _, _, _) = await SeededAsync(new DreamOptions { CancelWhenStopped = true });
        using var __ = h;
        var reflecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Dreamer.Then(async (_, ct) =>
        {
            reflecting.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        var request = new DreamRequest { MemoryStoreId = store, SessionIds = sessions, Model = Model, OutputBehavior = DreamOutputBehavior.UpdateExisting, UpdateStoreId = store };
        var created = (await h.Dreams.CreateAsync(Ws, request, None)).Value!;
        using var stop = new CancellationTokenSource();

        var run = h.Pipeline.RunAsync(created.Id, null, stop.Token);
        await reflecting.Task;
        await stop.CancelAsync();
        var dream = await run;

        Assert.Equal(DreamStatus.Canceled, dream.Status);
        Assert.NotNull(dream.EndedAt);
        Assert.Equal(DreamStatus.Canceled, (await h.Store.GetDreamAsync(created.Id, None))!.Status);
        Assert.True((await h.Dreams.CreateAsync(Ws, request, None)).IsSuccess, "the store hold was not released");
    }

    [Fact]
    public async Task A_cancel_written_to_the_store_alone_stops_the_run_at_its_next_stage_boundary()
    {
        var (h, store, sessions, errors, fixes, evaluations) = await SeededAsync();
        using var __ = h;
        var reflecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Dreamer.Then(async (_, _) =>
        {
            reflecting.SetResult();
            await answer.Task;
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, Lessons()));
        });
        ScriptLearning(h, errors, fixes, evaluations);
        var created = (await h.Dreams.CreateAsync(Ws, new DreamRequest { MemoryStoreId = store, SessionIds = sessions, Model = Model }, None)).Value!;

        // As `lucid dream cancel` beside a server does: the status changes in the store, and no one tells the run.
        var run = h.Pipeline.RunAsync(created.Id, null, None);
        await reflecting.Task;
        Assert.Equal(DreamStatus.Canceled, (await h.Dreams.CancelAsync(Ws, created.Id, None)).Value!.Status);
        answer.SetResult();
        var dream = await run;

        Assert.Equal(DreamStatus.Canceled, dream.Status);
        Assert.Single(h.Dreamer.Requests);
    }

    [Fact]
    public async Task A_run_whose_token_is_already_canceled_still_claims_and_ends_canceled()
    {
        var (h, store, sessions, _, _, _) = await SeededAsync(new DreamOptions { CancelWhenStopped = true });
        using var __ = h;
        var request = new DreamRequest { MemoryStoreId = store, SessionIds = sessions, Model = Model, OutputBehavior = DreamOutputBehavior.UpdateExisting, UpdateStoreId = store };
        var created = (await h.Dreams.CreateAsync(Ws, request, None)).Value!;

        var dream = await h.Pipeline.RunAsync(created.Id, null, new CancellationToken(canceled: true));

        Assert.Equal(DreamStatus.Canceled, dream.Status);
        Assert.Empty(h.Dreamer.Requests);
        Assert.True((await h.Dreams.CreateAsync(Ws, request, None)).IsSuccess, "the store hold was not released");
    }

    [Fact]
    public async Task An_add_whose_path_holds_a_fake_api_key_is_refused_and_the_key_is_written_nowhere()
    {
        const string Key = "sk-ant-api03-FAKEfakeFAKEfake0123456789abcdefXYZ";
        var (h, store, sessions, _, fixes, _) = await SeededAsync();
        using var __ = h;
        h.Dreamer.Reply(Lessons(new { title = "Split payments", when = "payment does not add up", @do = "add a card", evidence = fixes.ToArray() }));
        h.Dreamer.Reply(Operations(
            Op("add", $"/lessons/{Key}.md", "Split payments", "a payment does not add up", "Add a card for the rest.", fixes),
            Op("add", "/lessons/cards.md", "Keep a card on file", "booking for a returning user", "Ask for a card up front.", fixes)));

        var dream = await h.DreamAsync(store, sessions);

        Assert.Equal(DreamStatus.Completed, dream.Status);
        var output = await h.MemoriesAsync(dream.OutputStoreId!);
        Assert.Contains("/lessons/cards.md", output.Keys);
        Assert.All(output.Values, m => Assert.DoesNotContain(Key, m.Path + m.Content, StringComparison.Ordinal));
        Assert.All(await h.VersionsAsync(dream.OutputStoreId!), v => Assert.DoesNotContain(Key, v.Path + v.Content, StringComparison.Ordinal));
        Assert.Contains("refused — it contained an Anthropic API key", output["/dreams/" + dream.Id + ".md"].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_merge_of_a_report_or_without_evidence_is_rejected_and_curated_again()
    {
        var h = new DreamHarness();
        using var __ = h;
        var (logs, _, fixes, _) = RepeatedMistake();
        await h.SeedAsync(logs);
        const string Earlier = "/dreams/drm_earlier.md";
        var store = await h.StoreAsync(("/lessons/payments.md", OldLesson), ("/lessons/cards.md", "Keep a card on file."), (Earlier, "# Dream drm_earlier\n"));
        h.Dreamer.Reply(Lessons(new { title = "Split payments", when = "payment does not add up", @do = "add a card", evidence = fixes.ToArray() }));
        h.Dreamer.Reply(Operations(Op("merge", "/lessons/payments.md", "Payments", "paying", "Split with a card.", fixes, sources: ["/lessons/payments.md", Earlier])));
        h.Dreamer.Reply(Operations(Op("merge", "/lessons/payments.md", "Payments", "paying", "Split with a card.", [], sources: ["/lessons/payments.md", "/lessons/cards.md"])));
        h.Dreamer.Reply(Operations(Op("merge", "/lessons/payments.md", "Payments", "paying", "Split with a card.", fixes, sources: ["/lessons/payments.md", "/lessons/cards.md"])));

        var dream = await h.DreamAsync(store, [.. logs.Select(l => l.SessionId)]);

        Assert.Equal(DreamStatus.Completed, dream.Status);
        Assert.Contains("are dream reports; a merge may not take", h.Dreamer.Requests[2].AllText, StringComparison.Ordinal);
        Assert.Contains("cite the event IDs that support it", h.Dreamer.Requests[3].AllText, StringComparison.Ordinal);
        var output = await h.MemoriesAsync(dream.OutputStoreId!);
        Assert.Contains(Earlier, output.Keys);
        Assert.DoesNotContain("/lessons/cards.md", output.Keys);
        Assert.Contains($"`{fixes[0]}`", output["/lessons/payments.md"].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_too_big_for_a_memory_is_cut_and_says_so_and_the_edits_still_apply()
    {
        var (h, store, sessions, _, fixes, _) = await SeededAsync();
        using var __ = h;
        var words = string.Join(' ', Enumerable.Repeat("payments that do not add up", 15));
        h.Dreamer.Reply(Lessons([.. Enumerable.Range(0, 300).Select(i => new { title = $"Lesson {i}: {words}", when = "paying", @do = "add a card", evidence = fixes.ToArray() })]));
        h.Dreamer.Reply(Operations(Op("add", "/lessons/split-payments.md", "Split payments", "a payment does not add up", "Add a card for the rest.", fixes)));

        var dream = await h.DreamAsync(store, sessions);

        Assert.Equal(DreamStatus.Completed, dream.Status);
        var output = await h.MemoriesAsync(dream.OutputStoreId!);
        Assert.Contains("/lessons/split-payments.md", output.Keys);
        var report = output["/dreams/" + dream.Id + ".md"];
        Assert.True(report.ContentSizeBytes <= MemoryPaths.MaxContentBytes);
        Assert.Contains("### Added `/lessons/split-payments.md`", report.Content, StringComparison.Ordinal);
        Assert.Contains("(Report cut: it came to ", report.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lesson_too_big_for_a_memory_goes_back_to_curation_instead_of_failing_the_apply()
    {
        var (h, store, sessions, _, fixes, _) = await SeededAsync(new DreamOptions { MemoryBudgetBytes = 1_000_000 });
        using var __ = h;
        h.Dreamer.Reply(Lessons(new { title = "Split payments", when = "payment does not add up", @do = "add a card", evidence = fixes.ToArray() }));
        h.Dreamer.Reply(Operations(Op("add", "/lessons/split-payments.md", "Split payments", "a payment does not add up", string.Join(' ', Enumerable.Repeat("Add a card.", 10_000)), fixes)));
        h.Dreamer.Reply(Operations(Op("add", "/lessons/split-payments.md", "Split payments", "a payment does not add up", "Add a card for the rest.", fixes)));

        var dream = await h.DreamAsync(store, sessions);

        Assert.Equal(DreamStatus.Completed, dream.Status);
        Assert.Contains("a memory holds at most 102,400 bytes", h.Dreamer.Requests[2].AllText, StringComparison.Ordinal);
        Assert.Contains("Add a card for the rest.", (await h.MemoriesAsync(dream.OutputStoreId!))["/lessons/split-payments.md"].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancel_right_after_the_apply_commit_still_ends_the_dream_completed_with_its_journal()
    {
        var h = new DreamHarness();
        using var __ = h;
        var (logs, errors, fixes, evaluations) = RepeatedMistake();
        await h.SeedAsync(logs);
        var storeId = await h.StoreAsync(("/lessons/payments.md", OldLesson));
        ScriptLearning(h, errors, fixes, evaluations);
        using var stop = new CancellationTokenSource();
        var curated = false;
        var (store, hooks) = StoreInterceptor.Over(h.Store);
        hooks.After = name =>
        {
            // The first memory write after curation is the apply batch: stop the run the moment it is committed.
            if (curated && name == nameof(Lucid.Storage.ILucidStore.WriteMemoriesAsync))
            {
                stop.Cancel();
            }
        };
        var models = new Lucid.Testing.Models.ScriptedModels().With(Model, h.Dreamer);
        var pipeline = new DreamPipeline(store, new MemoryService(store), new EventHub(store), models, new DreamOptions { CancelWhenStopped = true }, h.Root);
        var created = (await h.Dreams.CreateAsync(Ws, new DreamRequest { MemoryStoreId = storeId, SessionIds = [.. logs.Select(l => l.SessionId)], Model = Model }, None)).Value!;

        var dream = await pipeline.RunAsync(created.Id, new Stages(p => curated |= p.Stage == DreamStage.Curate), stop.Token);

        Assert.True(stop.IsCancellationRequested);
        Assert.Equal(DreamStatus.Completed, dream.Status);
        var report = (await h.MemoriesAsync(dream.OutputStoreId!))["/dreams/" + dream.Id + ".md"].Content!;
        Assert.Contains("### Added `/lessons/split-payments.md`", report, StringComparison.Ordinal);
        var tools = (await h.SessionEventsAsync(dream.SessionId!)).Select(e => e.Event).OfType<AgentToolUseEvent>().Count(e => e.Name == "write_memory");
        Assert.Equal(3, tools);
    }

    [Fact]
    public async Task A_create_new_copy_of_a_memory_holding_a_secret_is_listed_in_the_report_by_kind_only()
    {
        const string Key = "AKIAABCDEFGHIJKLMNOP";
        var h = new DreamHarness();
        using var __ = h;
        var (logs, errors, fixes, evaluations) = RepeatedMistake();
        await h.SeedAsync(logs);
        var store = await h.StoreAsync(("/lessons/payments.md", OldLesson), ("/notes/deploy.md", $"Deploy with {Key}."));
        ScriptLearning(h, errors, fixes, evaluations);

        var dream = await h.DreamAsync(store, [.. logs.Select(l => l.SessionId)]);

        Assert.Equal(DreamStatus.Completed, dream.Status);
        var report = (await h.MemoriesAsync(dream.OutputStoreId!))["/dreams/" + dream.Id + ".md"].Content!;
        Assert.Contains("## Secrets copied from the input", report, StringComparison.Ordinal);
        Assert.Contains("- `/notes/deploy.md`: AWS access key", report, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, report, StringComparison.Ordinal);
        Assert.DoesNotContain("`/lessons/payments.md`:", report, StringComparison.Ordinal);
    }

    private sealed class Stages(Action<DreamProgress> report) : IProgress<DreamProgress>
    {
        public void Report(DreamProgress value) => report(value);
    }
}
