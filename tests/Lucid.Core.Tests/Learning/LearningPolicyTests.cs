using Lucid.Core.Tests.Dreams;
using Lucid.Deployments;
using Lucid.Dreams;
using Lucid.Dreams.Review;
using Lucid.Events;
using Lucid.Learning;
using Lucid.Memory;
using Lucid.Outcomes;
using Lucid.Results;
using Lucid.Sessions;
using Microsoft.Extensions.Time.Testing;
using static Lucid.Core.Tests.Dreams.DreamHarness;

namespace Lucid.Core.Tests.Learning;

public sealed class LearningPolicyTests : IDisposable
{
    // Before the seeded sessions' creation time (2026-01-05 09:00), so they are new to a policy created now.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
    private readonly DreamHarness _h = new();
    private readonly LearningService _policies;
    private readonly LearningRuns _runs;

    public LearningPolicyTests()
    {
        _policies = new LearningService(_h.Store, _h.Dreams, _time);
        _runs = new LearningRuns(_h.Store, _h.Dreams, _time);
    }

    public void Dispose() => _h.Dispose();

    private async Task<(string Store, string Deployment)> DeploymentAsync(string name = "depl_support")
    {
        var store = await _h.StoreAsync(("/people/ana.md", "Ana owns refunds."));
        await _h.Store.CreateDeploymentAsync(new Deployment
        {
            Id = name,
            WorkspaceId = Ws,
            Name = "support",
            AgentId = "agent_seeded",
            AgentVersion = 1,
            EnvironmentId = "env_seeded",
            InitialEvents = [new UserMessageEvent { Content = [new TextBlock("handle the queue")] }],
            Resources = [new MemoryAttachment(store)],
            CreatedAt = _time.GetUtcNow(),
            UpdatedAt = _time.GetUtcNow(),
        }, None);
        return (store, name);
    }

    // A session the deployment started, created `minutes` after the seeded logs' start, graded when `result` is given.
    private async Task<SeededLog> SessionAsync(string deployment, int i, OutcomeResult? result, SessionStatus status = SessionStatus.Idle)
    {
        var log = new SeededLog($"sesn_{i}");
        log.User($"Ticket {i}.");
        await _h.Store.CreateSessionAsync(log.Session() with
        {
            DeploymentId = deployment,
            Status = status,
            CreatedAt = log.Session().CreatedAt.AddMinutes(i),
            OutcomeEvaluations = result is { } r ? [new OutcomeEvaluation { OutcomeId = "outc_1", Description = "refund", Result = r }] : [],
        }, None);
        await _h.Store.AppendAsync(log.SessionId, [.. log.Events.Select(e => e.Event)], None);
        return log;
    }

    private async Task<LearningPolicy> PolicyAsync(string store, string deployment, LearningTrigger trigger, bool? review = null)
    {
        var created = await _policies.CreateAsync(Ws, new LearningDraft { DeploymentId = deployment, MemoryStoreId = store, Trigger = trigger, Model = Model, ReviewRequired = review }, None);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return created.Value!;
    }

    private async Task<LearningPolicy> ReloadAsync(LearningPolicy policy) => (await _policies.GetAsync(Ws, policy.Id, None)).Value!;

    [Fact]
    public async Task After_n_graded_sessions_a_reviewed_dream_updates_the_deployments_store_only_once_accepted()
    {
        var (store, deployment) = await DeploymentAsync();
        var policy = await PolicyAsync(store, deployment, new LearningTrigger { GradedSessions = 2 });
        Assert.True(policy.ReviewRequired);

        var first = await SessionAsync(deployment, 1, OutcomeResult.Failed);
        await SessionAsync(deployment, 2, null);
        await _runs.RunDueAsync(None);
        Assert.Null((await ReloadAsync(policy)).LastDreamId);

        var third = await SessionAsync(deployment, 3, OutcomeResult.Satisfied);
        await _runs.RunDueAsync(None);
        policy = await ReloadAsync(policy);
        var dream = (await _h.Dreams.GetAsync(Ws, policy.LastDreamId!, None)).Value!;
        Assert.Equal([first.SessionId, third.SessionId], dream.SessionIds);
        Assert.Equal((DreamOutputBehavior.UpdateExisting, store), (dream.OutputBehavior, dream.InputStoreId));
        Assert.NotNull(dream.Review);
        Assert.Equal(first.Session().CreatedAt.AddMinutes(3), policy.LearnedUntil);

        // While its dream runs, and while it waits for review, the policy starts no other.
        await SessionAsync(deployment, 4, OutcomeResult.Failed);
        await SessionAsync(deployment, 5, OutcomeResult.Failed);
        await _runs.RunDueAsync(None);
        Assert.Equal(dream.Id, (await ReloadAsync(policy)).LastDreamId);

        _h.Dreamer.Reply(Lessons(new { title = "Refund to the card", when = "refunding", @do = "Refund to the card paid with.", evidence = new[] { first.Events[0].Event.Id } }));
        _h.Dreamer.Reply(Operations(Op("add", "/lessons/refunds.md", "Refund to the card", "refunding", "Refund to the card paid with.", [first.Events[0].Event.Id], "a refund failed")));
        dream = await _h.Pipeline.RunAsync(dream.Id, null, None);
        Assert.True(dream.AwaitsReview);
        Assert.Equal(["/people/ana.md"], (await _h.MemoriesAsync(store)).Keys);
        await _runs.RunDueAsync(None);
        Assert.Equal(dream.Id, (await ReloadAsync(policy)).LastDreamId);

        // Accepted and finished: the store the deployment's sessions mount holds the lesson.
        Assert.True((await _h.Reviews.DecideAsync(Ws, dream.Id, Assert.Single(dream.Review!.Changes).Id, DreamDecision.Accepted, "key_ana", None)).IsSuccess);
        Assert.True((await _h.Reviews.FinishAsync(Ws, dream.Id, "key_ana", None)).IsSuccess);
        Assert.Contains("/lessons/refunds.md", (await _h.MemoriesAsync(store)).Keys);

        // The next dream reads only the sessions graded since.
        await _runs.RunDueAsync(None);
        var next = (await _h.Dreams.GetAsync(Ws, (await ReloadAsync(policy)).LastDreamId!, None)).Value!;
        Assert.NotEqual(dream.Id, next.Id);
        Assert.Equal(["sesn_4", "sesn_5"], next.SessionIds);
    }

    [Fact]
    public async Task A_session_still_running_without_a_verdict_holds_back_the_sessions_after_it()
    {
        var (store, deployment) = await DeploymentAsync();
        var policy = await PolicyAsync(store, deployment, new LearningTrigger { GradedSessions = 1 });
        await SessionAsync(deployment, 1, null, SessionStatus.Running);
        await SessionAsync(deployment, 2, OutcomeResult.Satisfied);

        await _runs.RunDueAsync(None);

        Assert.Null((await ReloadAsync(policy)).LastDreamId);
    }

    [Fact]
    public async Task A_cron_trigger_dreams_at_a_tick_that_finds_new_graded_sessions_and_counts_ticks_that_find_none()
    {
        var (store, deployment) = await DeploymentAsync();
        var policy = await PolicyAsync(store, deployment, new LearningTrigger { Cron = "0 * * * *", Timezone = "UTC" });

        Assert.Equal(_time.GetUtcNow().AddHours(1), await _runs.RunDueAsync(None));
        _time.Advance(TimeSpan.FromHours(1));
        await _runs.RunDueAsync(None);
        policy = await ReloadAsync(policy);
        Assert.Null(policy.LastDreamId);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero), policy.LastTickAt);

        await SessionAsync(deployment, 1, OutcomeResult.Failed);
        await _runs.RunDueAsync(None);
        Assert.Null((await ReloadAsync(policy)).LastDreamId);

        _time.Advance(TimeSpan.FromHours(1));
        await _runs.RunDueAsync(None);
        var dream = (await _h.Dreams.GetAsync(Ws, (await ReloadAsync(policy)).LastDreamId!, None)).Value!;
        Assert.Equal(["sesn_1"], dream.SessionIds);
    }

    [Fact]
    public async Task A_disabled_policy_does_not_dream_and_review_none_must_be_asked_for()
    {
        var (store, deployment) = await DeploymentAsync();
        var policy = await PolicyAsync(store, deployment, new LearningTrigger { GradedSessions = 1 }, review: false);
        Assert.False(policy.ReviewRequired);
        Assert.True((await _policies.UpdateAsync(Ws, policy.Id, new LearningDraft { Enabled = false }, None)).IsSuccess);
        await SessionAsync(deployment, 1, OutcomeResult.Failed);

        await _runs.RunDueAsync(None);
        Assert.Null((await ReloadAsync(policy)).LastDreamId);

        Assert.True((await _policies.UpdateAsync(Ws, policy.Id, new LearningDraft { Enabled = true }, None)).IsSuccess);
        await _runs.RunDueAsync(None);
        var dream = (await _h.Dreams.GetAsync(Ws, (await ReloadAsync(policy)).LastDreamId!, None)).Value!;
        Assert.Null(dream.Review);
    }

    [Fact]
    public async Task Bad_policies_are_refused_naming_the_field_and_nothing_is_stored()
    {
        var (store, deployment) = await DeploymentAsync();
        var other = await _h.StoreAsync(("/x.md", "x"));
        var count = new LearningTrigger { GradedSessions = 5 };

        async Task<LucidError> Refused(LearningDraft draft) =>
            (await _policies.CreateAsync(Ws, draft, None)).Error ?? throw new Xunit.Sdk.XunitException("accepted");

        var ok = new LearningDraft { DeploymentId = deployment, MemoryStoreId = store, Trigger = count, Model = Model };
        Assert.Equal("memory_store_id", (await Refused(ok with { MemoryStoreId = other })).Field);
        Assert.Equal(ErrorKind.NotFound, (await Refused(ok with { DeploymentId = "depl_none" })).Kind);
        Assert.Equal("trigger", (await Refused(ok with { Trigger = new LearningTrigger { GradedSessions = 5, Cron = "0 * * * *" } })).Field);
        Assert.Equal("trigger", (await Refused(ok with { Trigger = new LearningTrigger() })).Field);
        Assert.Equal("trigger.graded_sessions", (await Refused(ok with { Trigger = new LearningTrigger { GradedSessions = 101 } })).Field);
        Assert.Equal("trigger.expression", (await Refused(ok with { Trigger = new LearningTrigger { Cron = "every hour" } })).Field);
        Assert.Equal("trigger.timezone", (await Refused(ok with { Trigger = new LearningTrigger { Cron = "0 * * * *", Timezone = "Mars/Olympus" } })).Field);
        Assert.Equal("model", (await Refused(ok with { Model = "nowhere/none" })).Field);
        Assert.Empty(await _policies.ListAsync(Ws, None));

        Assert.True((await _policies.CreateAsync(Ws, ok, None)).IsSuccess);
        Assert.Equal(ErrorKind.Conflict, (await Refused(ok)).Kind);
        Assert.Single(await _policies.ListAsync(Ws, None));
    }
}
