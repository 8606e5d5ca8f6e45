using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Lucid.Events;
using Lucid.Sessions;
using Microsoft.Data.Sqlite;

namespace Lucid.Storage.Sqlite.Tests;

public sealed class SqliteStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lucid-sqlite-").FullName;

    private string DatabasePath => Path.Combine(_directory, "lucid.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task An_environment_stored_before_configs_were_kept_reads_back_with_the_default_config()
    {
        await using var store = await SqliteStore.OpenAsync(DatabasePath, CancellationToken.None);
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO environments (id, workspace_id, created_at, json) VALUES ('env_old', 'default', '2026-01-01T00:00:00.0000000+00:00',
                '{"id":"env_old","workspace_id":"default","name":"old","metadata":{},"created_at":"2026-01-01T00:00:00+00:00","updated_at":"2026-01-01T00:00:00+00:00"}')
                """;
            await insert.ExecuteNonQueryAsync();
        }

        var old = await store.GetEnvironmentAsync("env_old", CancellationToken.None);

        Assert.Equal("old", old?.Name);
        Assert.Equal(Lucid.Environments.EnvironmentConfig.Default, old?.Config);
        Assert.True(old?.Config.Networking.AllowsNothing);
    }

    [Fact]
    public async Task Reopening_keeps_data_and_applies_migrations_once_in_wal_mode()
    {
        var now = DateTimeOffset.UnixEpoch;
        await using (var store = await SqliteStore.OpenAsync(DatabasePath, CancellationToken.None))
        {
            await store.CreateSessionAsync(new Session { Id = "sesn_keep", AgentId = "agent_a", AgentVersion = 1, EnvironmentId = "env_e", WorkDirectory = "/tmp", CreatedAt = now, UpdatedAt = now }, CancellationToken.None);
            await store.AppendAsync("sesn_keep", [new UserMessageEvent { Id = "sevt_1", ProcessedAt = now, Content = [new TextBlock("kept")] }], CancellationToken.None);
        }

        await using var reopened = await SqliteStore.OpenAsync(DatabasePath, CancellationToken.None);

        Assert.Equal(Migrations.All.Count, await reopened.SchemaVersionAsync(CancellationToken.None));
        Assert.Equal(1, (await reopened.GetSessionAsync("sesn_keep", CancellationToken.None))?.LastSequence);
        Assert.Equal("kept", ((UserMessageEvent)(await reopened.ReadAsync("sesn_keep", 0, 10, CancellationToken.None))[0].Event).Content.OfType<TextBlock>().Single().Text);
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_database_from_before_key_revocation_keeps_its_keys_valid_and_can_revoke_them()
    {
        const int beforeRevocation = 4;
        await using (var old = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            await old.OpenAsync();
            await using var command = old.CreateCommand();
            command.CommandText = string.Join(";\n", Migrations.All.Take(beforeRevocation)) + $"""
                ;
                PRAGMA user_version = {beforeRevocation};
                INSERT INTO api_keys (id, workspace_id, name, hash, prefix, created_at)
                VALUES ('key_old', 'team', 'ci', '{new string('a', 64)}', 'lucid_sk_abc', '2026-01-01T00:00:00.0000000Z');
                """;
            await command.ExecuteNonQueryAsync();

            // The shipped migrations are never edited, so the column comes only from the new one.
            command.CommandText = "SELECT count(*) FROM pragma_table_info('api_keys') WHERE name = 'revoked_at'";
            Assert.Equal(0L, await command.ExecuteScalarAsync());
        }

        await using var store = await SqliteStore.OpenAsync(DatabasePath, CancellationToken.None);
        var found = await store.FindApiKeyAsync(new string('a', 64), CancellationToken.None);
        var revoked = await store.RevokeApiKeyAsync("key_old", DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.Equal(Migrations.All.Count, await store.SchemaVersionAsync(CancellationToken.None));
        Assert.Equal("key_old", found?.Id);
        Assert.Null(found?.RevokedAt);
        Assert.Equal(DateTimeOffset.UnixEpoch, revoked?.RevokedAt);
    }

    [Fact]
    public async Task A_process_killed_while_many_appenders_commit_leaves_a_readable_store_with_no_half_written_batch()
    {
        const int batchSize = 3;
        const int appenders = 32;
        var writer = typeof(SqliteStoreTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CrashWriterPath").Value!;
        Assert.True(File.Exists(writer), $"The crash writer was not built at {writer}.");
        // Killed by the test after it read the 20th and the 150th report, then by itself right after its 100th and 300th.
        foreach (var (killAfter, itself) in new[] { (20, false), (150, false), (100, true), (300, true) })
        {
            var reported = await RunAndKillAsync(writer, batchSize, appenders, killAfter, itself);

            await using var store = await SqliteStore.OpenAsync(DatabasePath, CancellationToken.None);
            for (var i = 0; i < appenders / 2; i++)
            {
                var sessionId = $"sesn_crash_{i:D2}";
                var session = await store.GetSessionAsync(sessionId, CancellationToken.None);
                var log = await store.ReadAsync(sessionId, 0, int.MaxValue, CancellationToken.None);

                Assert.NotNull(session);
                Assert.Equal(Enumerable.Range(1, log.Count).Select(s => (long)s), log.Select(e => e.Sequence));
                var acknowledged = reported.GetValueOrDefault(sessionId);
                Assert.True(log.Count >= acknowledged, $"{sessionId}: {log.Count} events stored, but the writer had reported {acknowledged} committed");
                Assert.Equal(log.Count, session.LastSequence);
                // Whole batches only: runs of batchSize events of one batch, numbered 0, 1, 2.
                var texts = log.Select(e => Assert.IsType<AgentMessageEvent>(e.Event).Content.OfType<TextBlock>().Single().Text.Split(' ')).ToList();
                Assert.Equal(0, texts.Count % batchSize);
                for (var b = 0; b < texts.Count; b += batchSize)
                {
                    Assert.All(Enumerable.Range(0, batchSize), k => Assert.Equal((texts[b][0], k.ToString(CultureInfo.InvariantCulture)), (texts[b + k][0], texts[b + k][1])));
                }
            }
        }
    }

    // Runs the writer until it reports the given number of committed batches and is killed (SIGKILL), by this test or
    // by itself; returns the last sequence it reported for each session.
    private async Task<Dictionary<string, long>> RunAndKillAsync(string writer, int batchSize, int appenders, int killAfterBatches, bool itself)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { writer, DatabasePath, "sesn_crash", batchSize.ToString(CultureInfo.InvariantCulture), appenders.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        if (itself)
        {
            start.ArgumentList.Add(killAfterBatches.ToString(CultureInfo.InvariantCulture));
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The crash writer did not start.");
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var reported = new Dictionary<string, long>();
        try
        {
            for (var batches = 0; batches < killAfterBatches; batches++)
            {
                var line = await process.StandardOutput.ReadLineAsync(guard.Token)
                    ?? throw new InvalidOperationException($"The crash writer exited after {batches} batches: {await process.StandardError.ReadToEndAsync(guard.Token)}");
                var parts = line.Split(' ');
                reported[parts[0]] = Math.Max(reported.GetValueOrDefault(parts[0]), long.Parse(parts[1], CultureInfo.InvariantCulture));
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        return reported;
    }
}
