using Lucid.Agents;
using Lucid.Evals;
using Lucid.Outcomes;
using Lucid.Sessions;
using Lucid.Storage;

namespace Lucid.Testing.Storage;

/// <summary>The eval-store contract, written once and run against every backend.</summary>
public abstract class EvalContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Returns a new, empty store.</summary>
    protected abstract Task<ILucidStore> CreateStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    private static EvalRun NewRun(string id, int minute, string workspace = "default") => new()
    {
        Id = id,
        WorkspaceId = workspace,
        Suite = new EvalSuite
        {
            Name = "lessons",
            Agent = new EvalAgent(null, new AgentDefinition { Name = "worker", Model = "scripted/worker", Tools = [new AgentToolset()] }),
            Tasks = [new EvalTask { Id = "t1", Prompt = "Do it.", Rubric = "Done.", Checks = [new FileExistsCheck("out.txt")], Files = new Dictionary<string, string> { ["in.txt"] = "x" } }],
            Arms = [new EvalArm { Name = "none", Kind = EvalArmKind.None }, new EvalArm { Name = "v1", Kind = EvalArmKind.MemoryVersion, MemoryStoreId = "memstore_a", MemoryVersionId = "memver_1" }],
            Trials = 2,
        },
        CreatedAt = T0.AddMinutes(minute),
    };

    [Fact]
    public async Task A_run_round_trips_and_updates_keep_every_field()
    {
        await using var store = await CreateStoreAsync();
        var run = NewRun("evalrun_1", 0);
        await store.CreateEvalRunAsync(run, None);
        var trial = new EvalTrial { Arm = "none", TaskId = "t1", Trial = 1, SessionId = "sesn_1", Result = OutcomeResult.Satisfied, Usage = new SessionUsage { InputTokens = 7, OutputTokens = 3, ListCostUsd = 0.25m } };
        var report = EvalReport.From(run.Suite, new Dictionary<string, string> { ["v1"] = "memstore_b" }, [trial]);

        var updated = await store.UpdateEvalRunAsync("evalrun_1", r => r with { Status = EvalRunStatus.Completed, Trials = [trial], Report = report, ArmStores = new Dictionary<string, string> { ["v1"] = "memstore_b" }, EndedAt = T0.AddMinutes(2) }, None);
        var read = await store.GetEvalRunAsync("evalrun_1", None);

        Assert.NotNull(read);
        Assert.Equal(EvalRunStatus.Completed, read.Status);
        Assert.Equal(trial, Assert.Single(read.Trials));
        Assert.True(read.Trials[0].Passed);
        Assert.Equal("memstore_b", read.ArmStores["v1"]);
        Assert.Equal(T0.AddMinutes(2), read.EndedAt);
        Assert.Equal(run.Suite.Tasks[0].Checks, read.Suite.Tasks[0].Checks);
        Assert.Equal("x", read.Suite.Tasks[0].Files["in.txt"]);
        Assert.Equal(EvalArmKind.MemoryVersion, read.Suite.Arms[1].Kind);
        Assert.Equal("memver_1", read.Suite.Arms[1].MemoryVersionId);
        Assert.Equal(1, read.Report!.Arms[0].Passed);
        Assert.Equal(report.Arms[0].PassHatK, read.Report.Arms[0].PassHatK);
        Assert.Equal(0.25m, read.Report.Arms[0].ListCostUsdPerTrial);
        Assert.Equal(updated!.Trials, read.Trials);
        Assert.Null(await store.UpdateEvalRunAsync("evalrun_missing", r => r, None));
        Assert.Null(await store.GetEvalRunAsync("evalrun_missing", None));
    }

    [Fact]
    public async Task Runs_list_newest_first_by_workspace_in_pages()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateEvalRunAsync(NewRun("evalrun_1", 0), None);
        await store.CreateEvalRunAsync(NewRun("evalrun_2", 1), None);
        await store.CreateEvalRunAsync(NewRun("evalrun_3", 2), None);
        await store.CreateEvalRunAsync(NewRun("evalrun_x", 3, workspace: "other"), None);

        var first = await store.ListEvalRunsAsync("default", new PageRequest(2), None);
        var second = await store.ListEvalRunsAsync("default", new PageRequest(2, first.NextPage), None);
        var all = await store.ListEvalRunsAsync(null, new PageRequest(10), None);

        Assert.Equal(["evalrun_3", "evalrun_2"], first.Items.Select(r => r.Id));
        Assert.Equal(["evalrun_1"], second.Items.Select(r => r.Id));
        Assert.Null(second.NextPage);
        Assert.Equal(["evalrun_x", "evalrun_3", "evalrun_2", "evalrun_1"], all.Items.Select(r => r.Id));
    }
}
