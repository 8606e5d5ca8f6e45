using System.Threading.Channels;
using Npgsql;

namespace Lucid.Storage.Postgres;

/// <summary>
/// The store's one writer per process, committing in groups as the SQLite store's does: callers queue write jobs; one
/// loop takes every job that has gathered, runs each in its own savepoint of one transaction on its own connection,
/// commits once, and only then completes the callers. A job that throws is rolled back to its savepoint and fails
/// alone; a BEGIN or COMMIT that fails fails every job of the group, and nothing of it is written. Nothing is cached
/// between groups: each job reads (and locks) the rows it changes inside the transaction, so several processes may
/// write to one database.
/// </summary>
internal sealed class PostgresWriter : IAsyncDisposable
{
    private readonly Channel<WriteJob<NpgsqlConnection>> _queue = Channel.CreateUnbounded<WriteJob<NpgsqlConnection>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly NpgsqlDataSource _source;
    private readonly Task _loop;
    private NpgsqlConnection? _connection;
    private long _commits;

    public PostgresWriter(NpgsqlDataSource source)
    {
        _source = source;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>How many group transactions have committed.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>
    /// Queues <paramref name="work"/> to run in the writer's next transaction. The task completes once that transaction has
    /// committed, or fails with what the work threw (its changes rolled back), or with the reason the transaction failed.
    /// Cancelling helps only while the job waits in the queue; once started it runs to the end.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var job = new WriteJob<NpgsqlConnection, T>(work);
        job.CancelWhen(cancellationToken);
        if (!_queue.Writer.TryWrite(job))
        {
            job.Abandon(new ObjectDisposedException(nameof(PostgresStore)));
        }

        return job.Task;
    }

    /// <summary>Stops taking jobs, runs those already queued, and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    private async Task RunAsync()
    {
        var group = new List<WriteJob<NpgsqlConnection>>();
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
                // A broken connection or a bug: fail what is left of the group rather than stop writing for good; the next
                // group opens a new connection.
                await DropConnectionAsync();
                group.ForEach(job => job.Abandon(PostgresErrors.Unavailable(ex)));
            }

            group.Clear();
        }
    }

    private async Task CommitAsync(List<WriteJob<NpgsqlConnection>> group)
    {
        NpgsqlConnection connection;
        NpgsqlTransaction transaction;
        try
        {
            connection = await ConnectionAsync();
            transaction = await connection.BeginTransactionAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            await DropConnectionAsync();
            var unavailable = PostgresErrors.Unavailable(ex);
            foreach (var job in group.Where(job => job.TryStart()))
            {
                job.Finish(unavailable);
            }

            return;
        }

        var ran = new List<WriteJob<NpgsqlConnection>>();
        Exception? failure = null;
        await using (transaction)
        {
            foreach (var job in group.Where(job => job.TryStart()))
            {
                ran.Add(job);
                await transaction.SaveAsync("job");
                try
                {
                    await job.RunAsync(connection);
                    await transaction.ReleaseAsync("job");
                }
                catch (Exception ex) when (connection.FullState == System.Data.ConnectionState.Open)
                {
                    // A statement error leaves the transaction aborted until it is rolled back to the job's savepoint.
                    job.Error = PostgresErrors.Unavailable(ex);
                    await transaction.RollbackAsync("job");
                    await transaction.ReleaseAsync("job");
                }
            }

            try
            {
                await transaction.CommitAsync();
                Interlocked.Increment(ref _commits);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                failure = PostgresErrors.Unavailable(ex);
            }
        }

        if (failure is not null)
        {
            await DropConnectionAsync();
        }

        ran.ForEach(job => job.Finish(failure));
    }

    private async Task<NpgsqlConnection> ConnectionAsync()
    {
        if (_connection is { FullState: System.Data.ConnectionState.Open } open)
        {
            return open;
        }

        await DropConnectionAsync();
        _connection = await _source.OpenConnectionAsync();
        // Named, so an operator can tell the writer from the readers in pg_stat_activity.
        await _connection.ExecuteAsync("SET application_name = 'lucid writer'", CancellationToken.None);
        return _connection;
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }
}
