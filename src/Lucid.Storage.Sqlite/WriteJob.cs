using Microsoft.Data.Sqlite;

namespace Lucid.Storage.Sqlite;

/// <summary>One caller's write, queued for <see cref="SqliteWriter"/>: queued, then either cancelled or run and finished.</summary>
internal abstract class WriteJob
{
    private const int Queued = 0;
    private const int Started = 1;
    private const int Cancelled = 2;
    private int _state;
    private CancellationTokenRegistration _cancellation;

    /// <summary>What the job threw, if it did (its changes are rolled back).</summary>
    public Exception? Error { get; set; }

    /// <summary>Cancels the job if <paramref name="token"/> fires while it still waits in the queue.</summary>
    public void CancelWhen(CancellationToken token) =>
        _cancellation = token.UnsafeRegister(static (job, token) => (job as WriteJob)?.Cancel(token), this);

    /// <summary>Claims the job for running; false when it was cancelled first.</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Queued) == Queued;

    /// <summary>Runs the job's work (inside its savepoint).</summary>
    public abstract Task RunAsync(SqliteConnection connection);

    /// <summary>Completes the caller after the transaction ended: with its own error, else the transaction's, else its result.</summary>
    public void Finish(Exception? transactionError)
    {
        _cancellation.Dispose();
        if ((Error ?? transactionError) is { } error)
        {
            Fail(error);
        }
        else
        {
            Succeed();
        }
    }

    /// <summary>Fails the caller unless it already completed.</summary>
    public void Abandon(Exception error)
    {
        _cancellation.Dispose();
        Fail(error);
    }

    protected abstract void Succeed();

    protected abstract void Fail(Exception error);

    protected abstract void SetCanceled(CancellationToken token);

    private void Cancel(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
        {
            SetCanceled(token);
        }
    }
}

/// <summary>A write job with a result, handed to the caller only after the commit.</summary>
internal sealed class WriteJob<T>(Func<SqliteConnection, Task<T>> work) : WriteJob
{
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action? _succeed;

    public Task<T> Task => _done.Task;

    public override async Task RunAsync(SqliteConnection connection)
    {
        var result = await work(connection);
        _succeed = () => _done.TrySetResult(result);
    }

    // Continuations run on the thread pool (RunContinuationsAsynchronously), not on the writer's loop.
    protected override void Succeed() => _succeed?.Invoke();

    protected override void Fail(Exception error) => _done.TrySetException(error);

    protected override void SetCanceled(CancellationToken token) => _done.TrySetCanceled(token);
}
