using Lucid.Dreams;
using Microsoft.Data.Sqlite;

namespace Lucid.Storage.Sqlite.Tests;

public sealed class SqliteDreamRowTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lucid-sqlite-dream-rows-").FullName;

    private string DatabasePath => Path.Combine(_directory, "lucid.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_dream_row_written_by_an_earlier_version_is_read_filtered_by_status_and_holds_its_store()
    {
        var none = CancellationToken.None;
        await using var store = await SqliteStore.OpenAsync(DatabasePath, none);
        await ExecuteAsync("""
            INSERT INTO dreams (id, workspace_id, status, held_store_id, created_at, archived_at, json) VALUES ('drm_old', 'default', 'running', 'memstore_a',
              '2026-01-31T00:00:00.0000000Z', NULL,
              '{"id":"drm_old","workspace_id":"default","status":"running","input_store_id":"memstore_a","session_ids":["sesn_1"],"model":"scripted/dreamer","output_behavior":"update_existing","usage":{"input_tokens":0,"output_tokens":0,"cache_read_input_tokens":0,"cache_creation_input_tokens":0},"created_at":"2026-01-31T00:00:00+00:00"}')
            """);

        var read = await store.GetDreamAsync("drm_old", none);
        Assert.NotNull(read);
        var running = await store.ListDreamsAsync("default", new DreamQuery { Statuses = new HashSet<DreamStatus> { DreamStatus.Running } }, new PageRequest(10), none);
        var holder = await store.CreateDreamAsync(read with { Id = "drm_new", Status = DreamStatus.Pending }, none);

        Assert.Equal((DreamStatus.Running, DreamOutputBehavior.UpdateExisting), (read.Status, read.OutputBehavior));
        Assert.Equal(["drm_old"], running.Items.Select(d => d.Id));
        Assert.Equal("drm_old", holder);

        await store.UpdateDreamAsync("drm_old", d => d with { Status = DreamStatus.Canceled }, none);

        Assert.Equal("canceled", await ScalarAsync("SELECT status FROM dreams WHERE id = 'drm_old'"));
        Assert.Contains("\"status\":\"canceled\"", await ScalarAsync("SELECT json FROM dreams WHERE id = 'drm_old'"), StringComparison.Ordinal);
        Assert.Null(await store.CreateDreamAsync(read with { Id = "drm_new", Status = DreamStatus.Pending }, none));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string?)await command.ExecuteScalarAsync();
    }
}
