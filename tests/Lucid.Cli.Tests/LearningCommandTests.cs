using Lucid.Deployments;
using Lucid.Events;
using Lucid.Memory;
using Lucid.Storage.Sqlite;

namespace Lucid.Cli.Tests;

public sealed class LearningCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public LearningCommandTests() => _cli.Environment["ANTHROPIC_API_KEY"] = "sk-ant-test";

    public void Dispose() => _cli.Dispose();

    private async Task<(string Deployment, string Store)> SeedAsync()
    {
        await using var store = await SqliteStore.OpenAsync(Path.Combine(_cli.Home, "lucid.db"), CancellationToken.None);
        var memory = await new MemoryService(store).CreateStoreAsync(Workspaces.Default, "Support lessons", "", null, CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        await store.CreateDeploymentAsync(new Deployment
        {
            Id = "depl_support",
            WorkspaceId = Workspaces.Default,
            Name = "support",
            AgentId = "agent_1",
            AgentVersion = 1,
            EnvironmentId = "env_1",
            InitialEvents = [new UserMessageEvent { Content = [new TextBlock("handle the queue")] }],
            Resources = [new MemoryAttachment(memory.Value!.Id)],
            CreatedAt = now,
            UpdatedAt = now,
        }, CancellationToken.None);
        return ("depl_support", memory.Value.Id);
    }

    [Fact]
    public async Task A_policy_is_created_listed_updated_and_deleted_and_bad_ones_are_refused()
    {
        var (deployment, store) = await SeedAsync();

        var (exit, output) = await _cli.RunAsync("learning", "create", "--deployment", deployment, "--store", store, "--after", "0");
        Assert.Equal(2, exit);
        Assert.Contains("trigger.graded_sessions must be 1 to 100", output, StringComparison.Ordinal);
        (exit, output) = await _cli.RunAsync("learning", "create", "--deployment", deployment, "--store", store);
        Assert.Equal(2, exit);
        Assert.Contains("exactly one of graded_sessions", output, StringComparison.Ordinal);
        (exit, _) = await _cli.RunAsync("learning", "create", "--deployment", deployment, "--store", store, "--after", "3", "--review", "later");
        Assert.Equal(2, exit);

        (exit, output) = await _cli.RunAsync("learning", "create", "--deployment", deployment, "--store", store, "--after", "3");
        Assert.Equal(0, exit);
        Assert.Contains("after 3 graded sessions, review required, enabled", output, StringComparison.Ordinal);
        var id = output.Split(' ', ':').First(w => w.StartsWith("lrnp_", StringComparison.Ordinal));

        (exit, output) = await _cli.RunAsync("learning", "update", id, "--cron", "0 3 * * *", "--after", "5");
        Assert.Equal(2, exit);
        Assert.Contains("exactly one of", output, StringComparison.Ordinal);
        (exit, output) = await _cli.RunAsync("learning", "update", id, "--disable", "--review", "none");
        Assert.Equal(0, exit);
        Assert.Contains("review none, disabled", output, StringComparison.Ordinal);

        var (_, list) = await _cli.RunAsync("learning", "list");
        Assert.Contains(id, list, StringComparison.Ordinal);
        Assert.Contains("after 3 graded sessions", list, StringComparison.Ordinal);

        (exit, _) = await _cli.RunAsync("learning", "delete", id);
        Assert.Equal(0, exit);
        (exit, _) = await _cli.RunAsync("learning", "delete", id);
        Assert.Equal(1, exit);
        (_, list) = await _cli.RunAsync("learning", "list");
        Assert.Contains("No learning policies", list, StringComparison.Ordinal);
    }
}
