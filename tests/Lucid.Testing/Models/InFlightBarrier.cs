namespace Lucid.Testing.Models;

/// <summary>
/// Proves that model calls overlap: each call arrives and waits until every party has arrived, so the calls return
/// only if all of them were in flight at once. A generous timeout turns "they ran one after another" into a clear
/// failure instead of a hang; no wall-clock measurement is involved.
/// </summary>
public sealed class InFlightBarrier(int parties, TimeSpan? timeout = null)
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    /// <summary>How many calls have arrived so far.</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    /// <summary>Arrives, then waits for the other parties.</summary>
    /// <exception cref="TimeoutException">Not every party arrived in time: the calls did not overlap.</exception>
    public async Task ArriveAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _arrived) >= parties)
        {
            _all.TrySetResult();
        }

        try
        {
            await _all.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Only {Arrived} of {parties} model calls were ever in flight together: the calls did not overlap.");
        }
    }
}
