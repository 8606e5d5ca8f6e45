using Lucid.Events;
using Lucid.Memory;
using Lucid.Results;
using Lucid.Sessions;
using Lucid.Testing.Storage;
using Npgsql;

namespace Lucid.Storage.Postgres.Tests;

/// <summary>
/// Group commit on PostgreSQL: writes queued while the writer is busy commit together in one transaction, and each caller
/// still succeeds or fails on its own. The writer is held busy by a write whose work waits for the test, so every write
/// queued meanwhile lands in the same next group.
/// </summary>
public sealed class PostgresWriterTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private string _database = "";
    private PostgresStore _store = null!;

    private static CancellationToken None => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _database = await (await PostgresServer.Shared).CreateDatabaseAsync();
        _store = await PostgresStore.OpenAsync(_database, None);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Appends_queued_while_the_writer_is_busy_commit_in_one_transaction()
    {
        const int appenders = 50;
        await CreateSessionsAsync(_store, appenders);
        var hold = await HoldWriterAsync();
        var before = _store.Commits;

        var appends = Enumerable.Range(0, appenders).Select(i => _store.AppendAsync(SessionId(i), [Message(i)], None)).ToList();
        Assert.All(appends, a => Assert.False(a.IsCompleted));
        await hold.ReleaseAsync();
        await Task.WhenAll(appends);

        // One commit for the held write, one for all fifty appends.
        Assert.Equal(2, _store.Commits - before);
        for (var i = 0; i < appenders; i++)
        {
            Assert.Equal([1L], (await _store.ReadAsync(SessionId(i), 0, 10, None)).Select(e => e.Sequence));
        }
    }

    [Fact]
    public async Task Invalid_writes_in_a_group_fail_alone_and_every_other_write_of_the_group_commits()
    {
        await CreateSessionsAsync(_store, 10);
        var taken = Message(100);
        await _store.AppendAsync(SessionId(3), [taken], None);
        var memory = new MemoryService(_store);
        var notes = (await memory.CreateStoreAsync(Workspaces.Default, "notes", null, null, None)).Value!.Id;
        var hold = await HoldWriterAsync();
        var before = _store.Commits;

        var valid = Enumerable.Range(0, 10).Select(i => _store.AppendAsync(SessionId(i), [Message(i), Message(i + 10)], None)).ToList();
        var unknownSession = _store.AppendAsync("sesn_missing", [Message(20)], None);
        var unknownThread = _store.AppendAsync("sthr_missing", [Message(21)], None);
        var duplicate = _store.AppendAsync(SessionId(3), [Message(22), taken with { ProcessedAt = T0 }], None);
        var staleEdit = memory.ApplyEditsAsync(Workspaces.Default, notes,
            [MemoryEdit.Create("/written-then-undone.md", "x"), MemoryEdit.Update("/missing.md", "y", null)], MemoryActor.User("user_a"), None);
        var goodEdit = memory.ApplyEditsAsync(Workspaces.Default, notes, [MemoryEdit.Create("/kept.md", "z")], MemoryActor.User("user_a"), None);
        var after = Enumerable.Range(0, 10).Select(i => _store.AppendAsync(SessionId(i), [Message(i + 30)], None)).ToList();
        await hold.ReleaseAsync();

        await Assert.ThrowsAsync<KeyNotFoundException>(() => unknownSession);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => unknownThread);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, (await Assert.ThrowsAsync<PostgresException>(() => duplicate)).SqlState);
        Assert.Equal(ErrorKind.PreconditionFailed, (await staleEdit).Error?.Kind);
        Assert.True((await goodEdit).IsSuccess);
        await Task.WhenAll(valid.Concat(after));
        Assert.Equal(2, _store.Commits - before);
        for (var i = 0; i < 10; i++)
        {
            var log = await _store.ReadAsync(SessionId(i), 0, 10, None);
            var first = i == 3 ? 2L : 1L;
            Assert.Equal([first, first + 1, first + 2], log.Where(e => e.Event.Id != taken.Id).Select(e => e.Sequence));
            Assert.Equal(first + 2, (await _store.GetSessionAsync(SessionId(i), None))?.LastSequence);
        }

        Assert.Null(await _store.FindMemoryAsync(notes, "/written-then-undone.md", None));
        Assert.NotNull(await _store.FindMemoryAsync(notes, "/kept.md", None));
    }

    [Fact]
    public async Task A_commit_that_fails_fails_every_write_of_its_group_and_writes_nothing()
    {
        await using (var setup = new NpgsqlConnection(_database))
        {
            await setup.OpenAsync();
            // A deferred foreign key is checked at COMMIT.
            await setup.ExecuteAsync(
                "CREATE TABLE orphans (session_id text REFERENCES sessions (id) DEFERRABLE INITIALLY DEFERRED)", None);
        }

        await using var source = NpgsqlDataSource.Create(_database);
        await using var writer = new PostgresWriter(source);
        var hold = await HoldAsync(writer);
        var before = writer.Commits;

        var orphan = writer.WriteAsync(connection => connection.ExecuteAsync("INSERT INTO orphans VALUES ('sesn_none')", None), None);
        var innocent = writer.WriteAsync(connection => connection.ExecuteAsync(
            "INSERT INTO api_keys (id, workspace_id, hash, prefix, created_at) VALUES ('key_1', 'default', 'hash', 'prefix', now())", None), None);
        await hold.ReleaseAsync();

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, (await Assert.ThrowsAsync<PostgresException>(() => orphan)).SqlState);
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, (await Assert.ThrowsAsync<PostgresException>(() => innocent)).SqlState);
        Assert.Equal(before + 1, writer.Commits); // the held write's
        Assert.Equal(0L, await writer.WriteAsync(connection => connection.ScalarAsync("SELECT COUNT(*) FROM orphans", None), None));
        Assert.Equal(0L, await writer.WriteAsync(connection => connection.ScalarAsync("SELECT COUNT(*) FROM api_keys", None), None));
    }

    [Fact]
    public async Task After_the_server_ends_its_connection_the_next_group_reconnects()
    {
        await CreateSessionsAsync(_store, 1);
        await _store.AppendAsync(SessionId(0), [Message(0)], None);
        await using (var admin = new NpgsqlConnection(_database))
        {
            await admin.OpenAsync();
            // The writer's connection only, waiting until its backend has gone.
            Assert.Equal(true, await admin.ScalarAsync(
                "SELECT bool_and(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity WHERE application_name = 'lucid writer' AND datname = current_database()", None));
        }

        // The group that finds its connection gone fails whole, with nothing written; the next one reconnects and writes.
        await Assert.ThrowsAsync<StoreUnavailableException>(() => _store.AppendAsync(SessionId(0), [Message(1)], None));
        Assert.Equal(2, (await _store.AppendAsync(SessionId(0), [Message(2)], None)).Single().Sequence);
        Assert.Equal([1L, 2L], (await _store.ReadAsync(SessionId(0), 0, 10, None)).Select(e => e.Sequence));
    }

    internal static string SessionId(int i) => $"sesn_{i:D3}";

    internal static AgentMessageEvent Message(int i) =>
        new() { Id = $"sevt_{Guid.NewGuid():N}", ProcessedAt = T0.AddSeconds(i), Content = [new TextBlock($"message {i}")] };

    internal static async Task CreateSessionsAsync(ILucidStore store, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await store.CreateSessionAsync(
                new Session { Id = SessionId(i), AgentId = "agent_a", AgentVersion = 1, EnvironmentId = "env_e", WorkDirectory = "/tmp", CreatedAt = T0, UpdatedAt = T0 }, None);
        }
    }

    // Starts a write whose work waits until released: until then the writer is busy, and writes queue behind it.
    private async Task<Hold> HoldWriterAsync()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = _store.WriteMemoriesAsync("memstore_none", async (_, _) =>
        {
            started.SetResult();
            await release.Task;
            return 0;
        }, None);
        await started.Task;
        return new Hold(held, release);
    }

    private static async Task<Hold> HoldAsync(PostgresWriter writer)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = writer.WriteAsync(async _ =>
        {
            started.SetResult();
            await release.Task;
            return 0;
        }, None);
        await started.Task;
        return new Hold(held, release);
    }

    private sealed record Hold(Task<int> Held, TaskCompletionSource Release)
    {
        public async Task ReleaseAsync()
        {
            Release.SetResult();
            await Held;
        }
    }
}
