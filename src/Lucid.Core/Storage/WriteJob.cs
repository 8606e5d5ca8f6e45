namespace Lucid.Storage;

/// <summary>
/// One caller's write, queued for a store's group-committing writer (<typeparamref name="TConnection"/> is the writer's
/// connection): queued, then either cancelled or run and finished once the group's transaction has ended.
/// </summary>
public abstract class WriteJob<TConnection>
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
        _cancellation = token.UnsafeRegister(static (job, token) => (job as WriteJob<TConnection>)?.Cancel(token), this);

    /// <summary>Claims the job for running; false when it was cancelled first.</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Queued) == Queued;

    /// <summary>Runs the job's work (inside its savepoint).</summary>
    public abstract Task RunAsync(TConnection connection);

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

    /// <summary>Hands the caller the job's result.</summary>
    protected abstract void Succeed();

    /// <summary>Fails the caller with <paramref name="failure"/>.</summary>
    protected abstract void Fail(Exception failure);

    /// <summary>Cancels the caller's task.</summary>
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
public sealed class WriteJob<TConnection, T>(Func<TConnection, Task<T>> work) : WriteJob<TConnection>
{
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action? _succeed;

    /// <summary>Completes after the job's transaction ended.</summary>
    public Task<T> Task => _done.Task;

    /// <inheritdoc />
    public override async Task RunAsync(TConnection connection)
    {
        var result = await work(connection);
        _succeed = () => _done.TrySetResult(result);
    }

    // Continuations run on the thread pool (RunContinuationsAsynchronously), not on the writer's loop.
    /// <inheritdoc />
    protected override void Succeed() => _succeed?.Invoke();

    /// <inheritdoc />
    protected override void Fail(Exception failure) => _done.TrySetException(failure);

    /// <inheritdoc />
    protected override void SetCanceled(CancellationToken token) => _done.TrySetCanceled(token);
}
