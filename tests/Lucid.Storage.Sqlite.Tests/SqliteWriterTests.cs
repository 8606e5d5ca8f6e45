using Lucid.Events;
using Lucid.Memory;
using Lucid.Results;
using Lucid.Sessions;
using Microsoft.Data.Sqlite;

namespace Lucid.Storage.Sqlite.Tests;

/// <summary>
/// Group commit: writes queued while the writer is busy commit together in one transaction, and each caller still
/// succeeds or fails on its own. The writer is held busy by a write whose work waits for the test, so every write queued
/// meanwhile lands in the same next group.
/// </summary>
public sealed class SqliteWriterTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("lucid-sqlite-writer-").FullName;
    private SqliteStore _store = null!;

    private static CancellationToken None => CancellationToken.None;

    public async Task InitializeAsync() => _store = await SqliteStore.OpenAsync(Path.Combine(_directory, "lucid.db"), None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Appends_queued_while_the_writer_is_busy_commit_in_one_transaction()
    {
        const int appenders = 50;
        await CreateSessionsAsync(appenders);
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
        await CreateSessionsAsync(10);
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
        Assert.Equal(19, (await Assert.ThrowsAsync<SqliteException>(() => duplicate)).SqliteErrorCode);
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
    public async Task A_write_cancelled_while_queued_is_skipped_and_one_already_running_finishes()
    {
        await CreateSessionsAsync(1);
        using var running = new CancellationTokenSource();
        var runningStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runningRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = _store.WriteMemoriesAsync("memstore_none", async (_, _) =>
        {
            runningStarted.SetResult();
            await runningRelease.Task;
            return 7;
        }, running.Token);
        await runningStarted.Task;
        using var queued = new CancellationTokenSource();
        var skipped = _store.AppendAsync(SessionId(0), [Message(1)], queued.Token);

        await queued.CancelAsync();
        await running.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => skipped);
        runningRelease.SetResult();

        Assert.Equal(7, await held);
        Assert.Empty(await _store.ReadAsync(SessionId(0), 0, 10, None));
        Assert.Equal(1, (await _store.AppendAsync(SessionId(0), [Message(2)], None))[0].Sequence);
    }

    [Fact]
    public async Task Disposing_commits_the_writes_already_queued_and_refuses_new_ones()
    {
        await CreateSessionsAsync(5);
        var hold = await HoldWriterAsync();
        var queued = Enumerable.Range(0, 5).Select(i => _store.AppendAsync(SessionId(i), [Message(i)], None)).ToList();

        var disposing = _store.DisposeAsync().AsTask();
        await hold.ReleaseAsync();
        await disposing;

        Assert.All(await Task.WhenAll(queued), logged => Assert.Equal(1, logged.Single().Sequence));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _store.AppendAsync(SessionId(0), [Message(9)], None));
        _store = await SqliteStore.OpenAsync(Path.Combine(_directory, "lucid.db"), None);
        for (var i = 0; i < 5; i++)
        {
            Assert.Single(await _store.ReadAsync(SessionId(i), 0, 10, None));
        }
    }

    [Fact]
    public async Task While_another_process_holds_the_write_lock_every_queued_write_fails_and_nothing_is_written()
    {
        await _store.DisposeAsync();
        _store = await SqliteStore.OpenAsync(Path.Combine(_directory, "lucid.db"), new SqliteStoreOptions { BusyTimeout = TimeSpan.FromSeconds(1) }, None);
        await CreateSessionsAsync(5);
        var before = _store.Commits;

        await using (var other = new SqliteConnection($"Data Source={_store.Path};Pooling=False"))
        {
            await other.OpenAsync();
            await using var lockHeld = other.BeginTransaction(deferred: false);
            var appends = Enumerable.Range(0, 5).Select(i => _store.AppendAsync(SessionId(i), [Message(i)], None)).ToList();
            foreach (var append in appends)
            {
                var failed = await Assert.ThrowsAsync<StoreUnavailableException>(() => append);
                Assert.Contains("locked by another writer; nothing was written", failed.Message, StringComparison.Ordinal);
            }
        }

        Assert.Equal(before, _store.Commits);
        for (var i = 0; i < 5; i++)
        {
            Assert.Empty(await _store.ReadAsync(SessionId(i), 0, 10, None));
        }

        Assert.Equal(1, (await _store.AppendAsync(SessionId(0), [Message(9)], None))[0].Sequence);
    }

    [Fact]
    public async Task A_commit_that_fails_fails_every_write_of_its_group_and_writes_nothing()
    {
        await using var writer = await SqliteWriter.OpenAsync(
            $"Data Source={Path.Combine(_directory, "writer.db")};Pooling=False;Foreign Keys=True", "writer.db", null, None);
        var hold = await HoldAsync(writer);
        var before = writer.Commits;

        // A deferred foreign key is checked at COMMIT: the first job's event has no session, so the commit fails.
        var orphan = writer.WriteAsync(connection => connection.ExecuteAsync(
            "PRAGMA defer_foreign_keys = ON; INSERT INTO events VALUES ('sesn_none', 1, 'sevt_orphan', 'agent.message', 'x', '{}')", None), None);
        var innocent = writer.WriteAsync(connection => connection.ExecuteAsync(
            "INSERT INTO api_keys (id, workspace_id, name, hash, prefix, created_at) VALUES ('key_1', 'default', NULL, 'hash', 'prefix', 'x')", None), None);
        await hold.ReleaseAsync();

        Assert.Equal(787, (await Assert.ThrowsAsync<SqliteException>(() => orphan)).SqliteExtendedErrorCode);
        Assert.Equal(787, (await Assert.ThrowsAsync<SqliteException>(() => innocent)).SqliteExtendedErrorCode);
        Assert.Equal(before + 1, writer.Commits); // the held write's
        Assert.Equal(0L, await writer.WriteAsync(connection => connection.ScalarAsync("SELECT COUNT(*) FROM events", None), None));
        Assert.Equal(0L, await writer.WriteAsync(connection => connection.ScalarAsync("SELECT COUNT(*) FROM api_keys", None), None));
    }

    [Fact]
    public async Task When_a_write_loses_the_transaction_the_writes_before_it_fail_and_the_rest_commit_in_a_new_one()
    {
        await using var writer = await SqliteWriter.OpenAsync($"Data Source={Path.Combine(_directory, "writer.db")};Pooling=False", "writer.db", null, None);
        var hold = await HoldAsync(writer);

        // SQLite rolls a whole transaction back on some I/O and disk-full errors; a job that runs ROLLBACK does the same.
        var before = writer.WriteAsync(connection => InsertKeyAsync(connection, "key_before"), None);
        var loses = writer.WriteAsync(connection => connection.ExecuteAsync("ROLLBACK", None), None);
        var after = writer.WriteAsync(connection => InsertKeyAsync(connection, "key_after"), None);
        await hold.ReleaseAsync();

        await Assert.ThrowsAsync<SqliteException>(() => loses);
        Assert.Same(await Assert.ThrowsAsync<SqliteException>(() => loses), await Assert.ThrowsAsync<SqliteException>(() => before));
        await after;
        Assert.Equal("key_after", await writer.WriteAsync(connection => connection.ScalarAsync("SELECT group_concat(id) FROM api_keys", None), None));

        static Task<int> InsertKeyAsync(SqliteConnection connection, string id) =>
            connection.ExecuteAsync("INSERT INTO api_keys (id, workspace_id, name, hash, prefix, created_at) VALUES ($id, 'default', NULL, $id, 'prefix', 'x')", None, ("$id", id));
    }

    [Fact]
    public async Task An_append_after_another_process_changed_the_session_row_keeps_that_change()
    {
        await CreateSessionsAsync(1);
        await _store.AppendAsync(SessionId(0), [Message(1)], None);
        await using (var other = await SqliteStore.OpenAsync(Path.Combine(_directory, "lucid.db"), None))
        {
            var session = await other.GetSessionAsync(SessionId(0), None);
            Assert.NotNull(session);
            Assert.True(await other.UpdateSessionAsync(session with { Title = "renamed elsewhere" }, None));
        }

        await _store.AppendAsync(SessionId(0), [Message(2)], None);

        var stored = await _store.GetSessionAsync(SessionId(0), None);
        Assert.Equal("renamed elsewhere", stored?.Title);
        Assert.Equal(2, stored?.LastSequence);
    }

    [Fact]
    public async Task A_row_written_in_a_group_that_lost_its_transaction_is_not_remembered()
    {
        await using var writer = await SqliteWriter.OpenAsync($"Data Source={Path.Combine(_directory, "writer.db")};Pooling=False", "writer.db", null, None);
        LogStatements? log = null;
        LogStatements Log(SqliteConnection connection) => log ??= new LogStatements(connection, writer.Rows);
        var hold = await HoldAsync(writer);

        // The first job writes a session row (remembered for the rest of its group); the second loses the transaction.
        var session = new Session { Id = "sesn_lost", AgentId = "agent_a", AgentVersion = 1, EnvironmentId = "env_e", WorkDirectory = "/tmp", CreatedAt = T0, UpdatedAt = T0 };
        var written = writer.WriteAsync(async connection =>
        {
            await connection.ExecuteAsync(
                "INSERT INTO sessions (id, workspace_id, agent_id, agent_version, status, created_at, last_sequence, json) VALUES ('sesn_lost', 'default', 'agent_a', 1, 'idle', 'x', 0, '{}')",
                None);
            Log(connection).WriteSession(session with { LastSequence = 7 });
            return Log(connection).ReadSession("sesn_lost")?.LastSequence;
        }, None);
        var loses = writer.WriteAsync(connection => connection.ExecuteAsync("ROLLBACK", None), None);
        await hold.ReleaseAsync();
        await Assert.ThrowsAsync<SqliteException>(() => loses);
        await Assert.ThrowsAsync<SqliteException>(() => written);

        Assert.Null(await writer.WriteAsync(connection => Task.FromResult(Log(connection).ReadSession("sesn_lost")), None));
    }

    private static string SessionId(int i) => $"sesn_{i:D3}";

    private static AgentMessageEvent Message(int i) =>
        new() { Id = $"sevt_{Guid.NewGuid():N}", ProcessedAt = T0.AddSeconds(i), Content = [new TextBlock($"message {i}")] };

    private async Task CreateSessionsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _store.CreateSessionAsync(
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

    // Starts a write on a bare writer whose work waits until released, as HoldWriterAsync does on the store.
    private static async Task<Hold> HoldAsync(SqliteWriter writer)
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
