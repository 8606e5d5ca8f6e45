using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Lucid.Storage.Sqlite;

/// <summary>
/// The store's one writer, committing in groups: callers queue write jobs; one loop takes every job that has gathered,
/// runs each in its own savepoint of one transaction, commits once (one fsync for the group), and only then completes
/// the callers. A job that throws is rolled back to its savepoint and fails alone; a BEGIN or COMMIT that fails fails
/// every job of the group, and nothing of it is written.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private readonly Channel<WriteJob<SqliteConnection>> _queue = Channel.CreateUnbounded<WriteJob<SqliteConnection>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly string _path;
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;
    private readonly PreparedStatement _savepoint;
    private readonly PreparedStatement _release;
    private readonly PreparedStatement _rollbackToSavepoint;
    private readonly SqliteCommand _dataVersion;
    private readonly List<IDisposable> _owned = [];
    private readonly Task _loop;
    private long _commits;

    private SqliteWriter(SqliteConnection connection, string path)
    {
        _connection = connection;
        _path = path;
        // BEGIN IMMEDIATE takes SQLite's write lock up front, so another process writing the same file makes it wait
        // (the busy timeout) instead of failing a read-to-write upgrade halfway through the group.
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
        // The statements every job runs go straight through SQLite; BEGIN IMMEDIATE stays a command for its busy retries.
        _savepoint = Own(new PreparedStatement(connection, "SAVEPOINT job"));
        _release = Own(new PreparedStatement(connection, "RELEASE job"));
        _rollbackToSavepoint = Own(new PreparedStatement(connection, "ROLLBACK TO job"));
        _dataVersion = Prepare("PRAGMA data_version");
        _loop = Task.Run(RunAsync);
    }

    /// <summary>How many group transactions have committed.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>The rows the writer's jobs have read and written, following its transactions.</summary>
    public WrittenRows Rows { get; } = new();

    /// <summary>Records webhook events in the writer's transactions.</summary>
    public WebhookOutbox Outbox { get; } = new();

    /// <summary>
    /// Opens the writing connection (<c>synchronous=FULL</c>: a commit is fsynced; the size cap when set; a larger
    /// checkpoint interval and page cache), applies pending migrations on it, and starts the loop.
    /// </summary>
    public static async Task<SqliteWriter> OpenAsync(string connectionString, string path, long? maxPageCount, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteAsync("PRAGMA synchronous=FULL", cancellationToken);
            if (maxPageCount is { } pages)
            {
                await connection.ExecuteAsync($"PRAGMA max_page_count = {pages}", cancellationToken);
            }

            // Checkpoint every ~40 MB of WAL instead of every ~4 MB: pages that every group rewrites (session rows, the
            // last leaf of each log) are copied into the database once per checkpoint, not once per few groups.
            await connection.ExecuteAsync("PRAGMA wal_autocheckpoint = 10000", cancellationToken);
            // A group dirties a few pages per caller (a log's last leaf, an index leaf, the session row); with the default
            // 2 MB cache a group of a hundred callers spills pages to the WAL mid-transaction and reads them back.
            await connection.ExecuteAsync("PRAGMA cache_size = -16384", cancellationToken);
            await Migrations.ApplyAsync(connection, cancellationToken);
            return new SqliteWriter(connection, path);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Queues <paramref name="work"/> to run in the writer's next transaction. The task completes once that transaction has
    /// committed, or fails with what the work threw (its changes rolled back), or with the reason the transaction failed.
    /// Cancelling helps only while the job waits in the queue; once started it runs to the end.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var job = new WriteJob<SqliteConnection, T>(work);
        job.CancelWhen(cancellationToken);
        if (!_queue.Writer.TryWrite(job))
        {
            job.Abandon(new ObjectDisposedException(nameof(SqliteStore)));
        }

        return job.Task;
    }

    /// <summary>Takes statements prepared on the writer's connection, to finalize them before it closes.</summary>
    public T Own<T>(T statements)
        where T : IDisposable
    {
        _owned.Add(statements);
        return statements;
    }

    /// <summary>Stops taking jobs, runs those already queued, and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        foreach (var command in new[] { _begin, _commit, _rollback, _dataVersion })
        {
            await command.DisposeAsync();
        }

        _owned.ForEach(statements => statements.Dispose());

        await _connection.DisposeAsync();
    }

    private SqliteCommand Prepare(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Prepare();
        return command;
    }

    // False after COMMIT, ROLLBACK, or an error that made SQLite roll the whole transaction back.
    private bool InTransaction => SQLitePCL.raw.sqlite3_get_autocommit(_connection.Handle) == 0;

    private void RollbackIfOpen()
    {
        Rows.GroupRolledBack();
        if (InTransaction)
        {
            _rollback.ExecuteNonQuery();
        }
    }

    private async Task RunAsync()
    {
        var group = new List<WriteJob<SqliteConnection>>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (_queue.Reader.TryRead(out var job))
            {
                group.Add(job);
            }

            try
            {
                await CommitAsync(group);
            }
            catch (Exception ex)
            {
                // A broken connection or a bug: fail what is left of the group rather than stop writing for good.
                try
                {
                    RollbackIfOpen();
                }
                catch (SqliteException)
                {
                    // The next BEGIN reports the broken connection to the next group.
                }

                group.ForEach(job => job.Abandon(ex));
            }

            group.Clear();
        }
    }

    // Runs the jobs in one transaction and commits it. SQLite rolls a whole transaction back on some I/O and disk-full
    // errors: then the jobs run so far fail with that error, and the rest start a new transaction.
    private async Task CommitAsync(List<WriteJob<SqliteConnection>> group)
    {
        var next = 0;
        while (next < group.Count)
        {
            try
            {
                _begin.ExecuteNonQuery();
                var dataVersion = (long)(_dataVersion.ExecuteScalar() ?? 0L);
                Rows.GroupBegan(dataVersion);
                Outbox.GroupBegan(dataVersion);
            }
            catch (SqliteException ex)
            {
                RollbackIfOpen(); // only when a transaction was left open, so the next group can begin
                var unavailable = Unavailable(ex);
                foreach (var job in group.Skip(next))
                {
                    if (job.TryStart())
                    {
                        job.Finish(unavailable);
                    }
                }

                return;
            }

            var ran = new List<WriteJob<SqliteConnection>>();
            Exception? failure = null;
            for (; next < group.Count && failure is null; next++)
            {
                var job = group[next];
                if (!job.TryStart())
                {
                    continue;
                }

                ran.Add(job);
                _savepoint.Execute();
                try
                {
                    await job.RunAsync(_connection);
                    _release.Execute();
                    Rows.JobReleased();
                }
                catch (Exception ex)
                {
                    job.Error = Unavailable(ex);
                    Rows.JobRolledBack();
                    if (InTransaction)
                    {
                        _rollbackToSavepoint.Execute();
                        _release.Execute();
                    }
                    else
                    {
                        failure = job.Error;
                        Rows.GroupRolledBack();
                    }
                }
            }

            if (failure is null)
            {
                try
                {
                    _commit.ExecuteNonQuery();
                    Rows.GroupCommitted();
                    Interlocked.Increment(ref _commits);
                }
                catch (SqliteException ex)
                {
                    failure = Unavailable(ex);
                    RollbackIfOpen();
                }
            }

            ran.ForEach(job => job.Finish(failure));
        }
    }

    // SQLite's "busy", "locked", "full" and I/O errors mean the store cannot take the write now; anything else is the job's own.
    private Exception Unavailable(Exception ex) => ex switch
    {
        SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked } =>
            new StoreUnavailableException($"The database {_path} is locked by another writer; nothing was written. Retry shortly.", ex),
        SqliteException { SqliteErrorCode: SqliteFull or SqliteIoError } =>
            new StoreUnavailableException($"The database {_path} cannot grow (the disk or its size limit is full); nothing was written. Free space and retry.", ex),
        _ => ex,
    };
}
