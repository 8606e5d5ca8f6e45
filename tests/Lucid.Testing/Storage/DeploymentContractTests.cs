using System.Text.Json;
using Lucid.Deployments;
using Lucid.Events;
using Lucid.Json;
using Lucid.Memory;
using Lucid.Resources;
using Lucid.Storage;

namespace Lucid.Testing.Storage;

/// <summary>The deployment store contract, written once and run against every backend.</summary>
public abstract class DeploymentContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Returns a new, empty store.</summary>
    protected abstract Task<ILucidStore> CreateStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    private static string Json<T>(T? value) => value is null ? "null" : JsonSerializer.Serialize(value, typeof(T), LucidJsonContext.Default);

    private static Deployment NewDeployment(string id, string workspace = "team", int minute = 0, DeploymentSchedule? schedule = null) => new()
    {
        Id = id,
        WorkspaceId = workspace,
        Name = $"deployment {id}",
        AgentId = "agent_1",
        AgentVersion = 2,
        EnvironmentId = "env_1",
        InitialEvents = [new UserMessageEvent { Content = [new TextBlock("daily report")] }],
        Resources = [new MemoryAttachment("memstore_1", MemoryAccess.ReadOnly, "read me")],
        VaultIds = ["vlt_1"],
        Metadata = new Dictionary<string, string> { ["k"] = "v" },
        Schedule = schedule,
        CreatedAt = T0.AddMinutes(minute),
        UpdatedAt = T0.AddMinutes(minute),
    };

    private static DeploymentRun NewRun(string id, string deployment, DateTimeOffset? tick, int minute = 0) => new()
    {
        Id = id,
        WorkspaceId = "team",
        DeploymentId = deployment,
        AgentId = "agent_1",
        AgentVersion = 2,
        Trigger = tick is null ? DeploymentTrigger.Manual : DeploymentTrigger.Schedule,
        ScheduledAt = tick,
        CreatedAt = T0.AddMinutes(minute),
    };

    [Fact]
    public async Task Deployments_round_trip_and_list_by_workspace_state_and_schedule()
    {
        await using var store = await CreateStoreAsync();
        var scheduled = NewDeployment("depl_1", schedule: new DeploymentSchedule { Expression = "0 9 * * *", Timezone = "Europe/Paris", CountsFrom = T0 });
        await store.CreateDeploymentAsync(scheduled, None);
        await store.CreateDeploymentAsync(NewDeployment("depl_2", minute: 1), None);
        await store.CreateDeploymentAsync(NewDeployment("depl_other", workspace: "other", minute: 2), None);
        var paused = NewDeployment("depl_3", minute: 3) with { PausedAt = T0.AddHours(1) };
        await store.CreateDeploymentAsync(paused, None);
        Assert.True(await store.UpdateDeploymentAsync(NewDeployment("depl_2", minute: 1) with { ArchivedAt = T0.AddHours(2) }, None));

        Assert.Equal(Json(scheduled), Json(await store.GetDeploymentAsync("depl_1", None)));
        Assert.Equal(["depl_3", "depl_1"], (await store.ListDeploymentsAsync("team", new DeploymentQuery(), new PageRequest(20), None)).Items.Select(d => d.Id));
        Assert.Equal(["depl_3", "depl_2", "depl_1"], (await store.ListDeploymentsAsync("team", new DeploymentQuery { IncludeArchived = true }, new PageRequest(20), None)).Items.Select(d => d.Id));
        Assert.Equal(["depl_3"], (await store.ListDeploymentsAsync("team", new DeploymentQuery { Paused = true }, new PageRequest(20), None)).Items.Select(d => d.Id));
        Assert.Equal(["depl_1"], (await store.ListDeploymentsAsync(null, new DeploymentQuery { Paused = false, ScheduledOnly = true }, new PageRequest(20), None)).Items.Select(d => d.Id));
        Assert.False(await store.UpdateDeploymentAsync(NewDeployment("depl_missing"), None));
    }

    [Fact]
    public async Task A_deployments_files_and_repositories_round_trip_and_an_update_replaces_them()
    {
        await using var store = await CreateStoreAsync();
        var deployment = NewDeployment("depl_1") with
        {
            Files = [new FileAttachment("file_1", "/workspace/data.csv"), new FileAttachment("file_2")],
            Repositories =
            [
                new RepositoryAttachment("https://example.com/acme/app.git", "/workspace/app", new RepositoryCheckout(CheckoutKind.Commit, new string('a', 40))),
                new RepositoryAttachment("file:///srv/git/docs"),
            ],
        };
        await store.CreateDeploymentAsync(deployment, None);

        var read = await store.GetDeploymentAsync("depl_1", None);
        Assert.Equal(Json(deployment), Json(read));
        Assert.Equal(deployment.Files, read?.Files);
        Assert.Equal(deployment.Repositories, read?.Repositories);

        var changed = deployment with { Files = [], Repositories = [new RepositoryAttachment("file:///srv/git/other", null, new RepositoryCheckout(CheckoutKind.Branch, "main"))] };
        Assert.True(await store.UpdateDeploymentAsync(changed, None));
        Assert.Equal(Json(changed), Json(await store.GetDeploymentAsync("depl_1", None)));
    }

    [Fact]
    public async Task A_tick_is_claimed_once_per_deployment_while_manual_runs_are_all_kept()
    {
        await using var store = await CreateStoreAsync();
        var tick = T0.AddMinutes(5);

        Assert.True(await store.TryAddRunAsync(NewRun("drun_1", "depl_1", tick), None));
        Assert.False(await store.TryAddRunAsync(NewRun("drun_2", "depl_1", tick), None));
        Assert.True(await store.TryAddRunAsync(NewRun("drun_3", "depl_2", tick, minute: 1), None));
        Assert.True(await store.TryAddRunAsync(NewRun("drun_4", "depl_1", null, minute: 2), None));
        Assert.True(await store.TryAddRunAsync(NewRun("drun_5", "depl_1", null, minute: 3), None));

        Assert.Null(await store.GetRunAsync("drun_2", None));
        Assert.Equal(["drun_5", "drun_4", "drun_1"], (await store.ListRunsAsync("team", new DeploymentRunQuery { DeploymentId = "depl_1" }, new PageRequest(20), None)).Items.Select(r => r.Id));
    }

    [Fact]
    public async Task Runs_record_their_outcome_and_filter_by_error_and_trigger()
    {
        await using var store = await CreateStoreAsync();
        await store.TryAddRunAsync(NewRun("drun_1", "depl_1", T0), None);
        await store.TryAddRunAsync(NewRun("drun_2", "depl_1", null, minute: 1), None);
        var succeeded = NewRun("drun_1", "depl_1", T0) with { SessionId = "sesn_1" };
        var failed = NewRun("drun_2", "depl_1", null, minute: 1) with { Error = new DeploymentRunError("agent_archived_error", "archived") };

        Assert.True(await store.UpdateRunAsync(succeeded, None));
        Assert.True(await store.UpdateRunAsync(failed, None));

        Assert.Equal(Json(succeeded), Json(await store.GetRunAsync("drun_1", None)));
        Assert.Equal(["drun_2"], (await store.ListRunsAsync("team", new DeploymentRunQuery { HasError = true }, new PageRequest(20), None)).Items.Select(r => r.Id));
        Assert.Equal(["drun_1"], (await store.ListRunsAsync("team", new DeploymentRunQuery { HasError = false }, new PageRequest(20), None)).Items.Select(r => r.Id));
        Assert.Equal(["drun_1"], (await store.ListRunsAsync("team", new DeploymentRunQuery { Trigger = DeploymentTrigger.Schedule }, new PageRequest(20), None)).Items.Select(r => r.Id));
        Assert.Empty((await store.ListRunsAsync("other", new DeploymentRunQuery(), new PageRequest(20), None)).Items);

        var other = NewRun("drun_3", "depl_9", T0, minute: 2) with { WorkspaceId = "other" };
        await store.TryAddRunAsync(other, None);
        Assert.Equal(["drun_3"], (await store.ListRunsAsync(null, new DeploymentRunQuery { Unfinished = true }, new PageRequest(20), None)).Items.Select(r => r.Id));
    }
}
