using Lucid.Dreams;
using Lucid.Events;
using Lucid.Memory;
using Lucid.Models;
using Lucid.Storage;
using static Lucid.Core.Tests.Dreams.DreamHarness;

namespace Lucid.Core.Tests.Dreams;

/// <summary>What a failed dream's report says: the stages it finished and what it tried, never changes it did not make.</summary>
public sealed class DreamPipelineFailureTests
{
    private const string OldLesson = "# Payments\n\nPay with a single certificate; never split a payment across methods.\n";

    [Fact]
    public async Task A_model_failure_after_a_rejected_curation_keeps_the_rejection_in_the_failed_report()
    {
        using var h = new DreamHarness(new DreamOptions { MemoryBudgetBytes = 100 });
        var (logs, _, fixes, _) = RepeatedMistake();
        await h.SeedAsync(logs);
        var store = await h.StoreAsync(("/lessons/payments.md", OldLesson));
        h.Dreamer.Reply(Lessons(new { title = "Split payments", when = "payment does not add up", @do = "add a card", evidence = fixes.ToArray() }));
        h.Dreamer.Reply(Operations(Op("add", "/lessons/split.md", "Split payments", "a payment does not add up", "Add a card for the rest.", fixes)));
        h.Dreamer.Throw(new ModelRequestException(ModelErrorKind.RateLimited, "Too many requests (429).", 429));

        var dream = await h.DreamAsync(store, [.. logs.Select(l => l.SessionId)]);

        Assert.Equal(DreamStatus.Failed, dream.Status);
        Assert.Equal("rate_limited", dream.Error?.Type);
        Assert.Contains("curate stage failed", dream.Error?.Message, StringComparison.Ordinal);
        var report = (await h.MemoriesAsync(dream.OutputStoreId!))["/dreams/" + dream.Id + ".md"].Content!;
        Assert.Contains("Stages done: start, digest, mine, reflect\n", report, StringComparison.Ordinal);
        Assert.Contains("## Curation attempts rejected\n\n- Attempt 1: The store would hold", report, StringComparison.Ordinal);
        Assert.Contains("- Split payments (", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_apply_that_fails_on_a_memory_changed_since_curation_writes_nothing_and_reports_no_changes()
    {
        using var h = new DreamHarness();
        var (logs, _, fixes, _) = RepeatedMistake();
        await h.SeedAsync(logs);
        var storeId = await h.StoreAsync(("/lessons/payments.md", OldLesson));
        h.Dreamer.Reply(Lessons(new { title = "Split payments", when = "payment does not add up", @do = "add a card", evidence = fixes.ToArray() }));
        h.Dreamer.Reply(Operations(
            Op("add", "/lessons/split-payments.md", "Split payments", "a payment does not add up", "Add a card for the rest.", fixes),
            Op("retire", "/lessons/payments.md", evidence: fixes, reason: "contradicted")));
        var created = (await h.Dreams.CreateAsync(Ws, new DreamRequest { MemoryStoreId = storeId, SessionIds = [.. logs.Select(l => l.SessionId)], Model = Model }, None)).Value!;

        // A person edits the retired memory between curation and apply: the check after curation is the last read before it.
        var curated = false;
        var edited = false;
        var (store, hooks) = StoreInterceptor.Over(h.Store);
        hooks.Intercept = name => curated && !edited && name == nameof(ILucidStore.GetDreamAsync) ? EditThenGetAsync() : null;
        var pipeline = new DreamPipeline(store, new MemoryService(store), new EventHub(store), new Lucid.Testing.Models.ScriptedModels().With(Model, h.Dreamer), null, h.Root);

        var dream = await pipeline.RunAsync(created.Id, new Stages(p => curated |= p.Stage == DreamStage.Curate), None);

        Assert.True(edited);
        Assert.Equal(DreamStatus.Failed, dream.Status);
        Assert.Equal("memory_write_failed", dream.Error?.Type);
        var output = await h.MemoriesAsync(dream.OutputStoreId!);
        Assert.Equal("Changed by a person.", output["/lessons/payments.md"].Content);
        Assert.DoesNotContain("/lessons/split-payments.md", output.Keys);
        var report = output["/dreams/" + dream.Id + ".md"].Content!;
        Assert.Contains("failed (memory_write_failed)", report, StringComparison.Ordinal);
        Assert.Contains("Stages done: start, digest, mine, reflect, curate\n", report, StringComparison.Ordinal);
        Assert.Contains("## Changes\n\nNone.\n", report, StringComparison.Ordinal);

        async Task<Dream?> EditThenGetAsync()
        {
            edited = true;
            var current = await h.Store.GetDreamAsync(created.Id, None);
            Assert.True((await h.Memory.WriteAtPathAsync(Ws, current!.OutputStoreId!, "/lessons/payments.md", "Changed by a person.", null, MemoryActor.User("user_ana"), None)).IsSuccess);
            return current;
        }
    }

    [Fact]
    public async Task An_operation_that_is_not_add_update_merge_or_retire_is_rejected_and_curated_again()
    {
        using var h = new DreamHarness();
        var (logs, _, fixes, _) = RepeatedMistake();
        await h.SeedAsync(logs);
        var store = await h.StoreAsync(("/lessons/payments.md", OldLesson));
        h.Dreamer.Reply(Lessons(new { title = "Split payments", when = "payment does not add up", @do = "add a card", evidence = fixes.ToArray() }));
        h.Dreamer.Reply(Operations(Op("delete", "/lessons/payments.md", evidence: fixes, reason: "contradicted")));
        h.Dreamer.Reply(Operations(Op("retire", "/lessons/payments.md", evidence: fixes, reason: "contradicted")));

        var dream = await h.DreamAsync(store, [.. logs.Select(l => l.SessionId)]);

        Assert.Equal(DreamStatus.Completed, dream.Status);
        Assert.Contains("operation 1 (delete /lessons/payments.md): op must be add, update, merge, retire or add_skill.", h.Dreamer.Requests[2].AllText, StringComparison.Ordinal);
        var report = (await h.MemoriesAsync(dream.OutputStoreId!))["/dreams/" + dream.Id + ".md"].Content!;
        Assert.Contains("### Retired `/lessons/payments.md`", report, StringComparison.Ordinal);
        Assert.Contains($"Contradicted by: `{fixes[0]}`", report, StringComparison.Ordinal);
    }

    private sealed class Stages(Action<DreamProgress> report) : IProgress<DreamProgress>
    {
        public void Report(DreamProgress value) => report(value);
    }
}
