using Lucid.Storage.Postgres;
using Lucid.Testing.Server;
using Lucid.Testing.Storage;

namespace Lucid.Cli.Tests;

// lucid serve --database and LUCID_DATABASE: the store on PostgreSQL instead of the data directory's SQLite file.
public sealed partial class ServeCommandTests
{
    [Fact]
    public async Task Serve_with_a_database_keeps_its_data_in_PostgreSQL_and_makes_no_SQLite_file()
    {
        var database = await (await PostgresServer.Shared).CreateDatabaseAsync();
        var port = FreePorts.Next();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var started = await StartServeAsync(port, ["--database", database], guard.Token);
        using var process = started.Process;

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Add("x-api-key", started.Key);
        var agent = await IdAsync(http, "/v1/agents", """{"name":"kept","model":"openai/test"}""", guard.Token);
        Assert.Equal(0, SendSignal(process.Id, SigTerm));
        await process.WaitForExitAsync(guard.Token);

        Assert.Equal(0, process.ExitCode);
        // The start names the database, never the user.
        Assert.Matches(@"Store: PostgreSQL database postgresql://127\.0\.0\.1:\d+/lucid_\d+", started.Printed);
        Assert.DoesNotContain("Username", started.Printed, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_cli.Home, "lucid.db")));
        await using var store = await PostgresStore.OpenAsync(database, CancellationToken.None);
        Assert.Equal("kept", (await store.GetAgentAsync(agent, null, CancellationToken.None))?.Name);
        Assert.Single(await store.ListApiKeysAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Serve_with_a_database_it_cannot_reach_says_so_without_the_password_and_exits_2()
    {
        var closed = FreePorts.Next();

        // An address no server can listen on: were the database opened, serve would fail at once instead of serving.
        var (exit, output) = await _cli.RunAsync(
            "serve", "--database", $"Host=127.0.0.1;Port={closed};Username=lucid;Password=hunter2-secret;Timeout=5", "--urls", "http://127.0.0.1:99999");

        Assert.Equal(2, exit);
        Assert.Contains("the database of --database (or LUCID_DATABASE) cannot be used", output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Lucid is serving", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_commands_work_on_the_database_LUCID_DATABASE_names()
    {
        var database = await (await PostgresServer.Shared).CreateDatabaseAsync();
        _cli.Environment["LUCID_DATABASE"] = database;

        var (createExit, created) = await _cli.RunAsync("keys", "create", "--workspace", "team-pg", "--name", "ci");
        var (listExit, list) = await _cli.RunAsync("keys", "list");

        Assert.Equal(0, createExit);
        Assert.Equal(0, listExit);
        Assert.Contains("team-pg", list, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_cli.Home, "lucid.db")));
        await using var store = await PostgresStore.OpenAsync(database, CancellationToken.None);
        Assert.Equal("team-pg", Assert.Single(await store.ListApiKeysAsync(CancellationToken.None)).WorkspaceId);
        Assert.Contains(KeyPattern().Match(created).Value[..15], list, StringComparison.Ordinal);
    }
}
