using Lucid.Learning;
using Lucid.Storage;

namespace Lucid.Testing.Storage;

/// <summary>The learning policy store contract, written once and run against every backend.</summary>
public abstract class LearningPolicyContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Returns a new, empty store.</summary>
    protected abstract Task<ILucidStore> CreateStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    private static LearningPolicy Policy(string id, string workspace = "team", int minutes = 0) => new()
    {
        Id = id,
        WorkspaceId = workspace,
        DeploymentId = "depl_1",
        MemoryStoreId = "memstore_" + id,
        Trigger = new LearningTrigger { GradedSessions = 10 },
        Model = "scripted/dreamer",
        CreatedAt = T0.AddMinutes(minutes),
        UpdatedAt = T0.AddMinutes(minutes),
    };

    [Fact]
    public async Task Policies_round_trip_every_field_and_list_oldest_first_per_workspace()
    {
        await using var store = await CreateStoreAsync();
        var full = Policy("lrnp_b", minutes: 1) with
        {
            Trigger = new LearningTrigger { Cron = "0 3 * * *", Timezone = "Europe/Paris" },
            Instructions = "Focus on refunds.",
            ReviewRequired = false,
            Enabled = false,
            LastDreamId = "drm_1",
            LearnedUntil = T0.AddTicks(12_340),
            LastTickAt = T0.AddHours(3),
            LastError = "The dream could not start: no model.",
        };
        await store.CreateLearningPolicyAsync(full, None);
        await store.CreateLearningPolicyAsync(Policy("lrnp_a"), None);
        await store.CreateLearningPolicyAsync(Policy("lrnp_c", "other"), None);

        Assert.Equal(full, await store.GetLearningPolicyAsync("lrnp_b", None));
        Assert.Null(await store.GetLearningPolicyAsync("lrnp_none", None));
        Assert.Equal(["lrnp_a", "lrnp_b"], (await store.ListLearningPoliciesAsync("team", None)).Select(p => p.Id));
        Assert.Equal(["lrnp_a", "lrnp_c", "lrnp_b"], (await store.ListLearningPoliciesAsync(null, None)).Select(p => p.Id));
    }

    [Fact]
    public async Task Update_and_delete_say_whether_the_policy_existed()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateLearningPolicyAsync(Policy("lrnp_a"), None);

        Assert.True(await store.UpdateLearningPolicyAsync(Policy("lrnp_a") with { LastDreamId = "drm_2" }, None));
        Assert.Equal("drm_2", (await store.GetLearningPolicyAsync("lrnp_a", None))!.LastDreamId);
        Assert.False(await store.UpdateLearningPolicyAsync(Policy("lrnp_none"), None));

        Assert.True(await store.DeleteLearningPolicyAsync("lrnp_a", None));
        Assert.False(await store.DeleteLearningPolicyAsync("lrnp_a", None));
        Assert.Empty(await store.ListLearningPoliciesAsync(null, None));
    }
}
