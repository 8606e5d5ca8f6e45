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
    public async Task A_process_killed_while_appending_leaves_a_readable_store_with_no_half_written_batch()
    {
        const int batchSize = 3;
        var writer = typeof(SqliteStoreTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CrashWriterPath").Value!;
        Assert.True(File.Exists(writer), $"The crash writer was not built at {writer}.");
        long lastReported = 0;
        foreach (var killAfter in new[] { 5, 23, 61 })
        {
            lastReported = await RunAndKillAsync(writer, batchSize, killAfterBatches: killAfter);

            await using var store = await SqliteStore.OpenAsync(DatabasePath, CancellationToken.None);
            var session = await store.GetSessionAsync("sesn_crash", CancellationToken.None);
            var log = await store.ReadAsync("sesn_crash", 0, int.MaxValue, CancellationToken.None);

            Assert.NotNull(session);
            Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), log.Select(e => e.Sequence));
            Assert.True(log.Count >= lastReported, $"{log.Count} events stored, but the writer had reported {lastReported} committed");
            Assert.Equal(0, log.Count % batchSize);
            Assert.Equal(log.Count, session.LastSequence);
            Assert.All(log, e => Assert.IsType<AgentMessageEvent>(e.Event));
        }
    }

    // Runs the writer until it reports the given number of committed batches, kills it (SIGKILL), returns the last sequence it reported.
    private async Task<long> RunAndKillAsync(string writer, int batchSize, int killAfterBatches)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { writer, DatabasePath, "sesn_crash", batchSize.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The crash writer did not start.");
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        long last = 0;
        try
        {
            for (var batches = 0; batches < killAfterBatches; batches++)
            {
                var line = await process.StandardOutput.ReadLineAsync(guard.Token)
                    ?? throw new InvalidOperationException($"The crash writer exited early: {await process.StandardError.ReadToEndAsync(guard.Token)}");
                last = long.Parse(line, CultureInfo.InvariantCulture);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        return last;
    }
}
