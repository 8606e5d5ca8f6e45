using Microsoft.Extensions.Hosting;

namespace Lucid.Server;

/// <summary>
/// A background loop on the server's <see cref="TimeProvider"/> that runs what is due, then sleeps until the next time
/// it names (at most <see cref="MaxSleep"/>, so work claimed or added elsewhere is noticed) or until <see cref="Wake"/>.
/// </summary>
internal abstract class ScheduleLoop(TimeProvider time) : BackgroundService
{
    /// <summary>The longest sleep between runs.</summary>
    public static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _changed = new(0);

    /// <summary>Wakes the loop to run again now.</summary>
    public void Wake()
    {
        if (_changed.CurrentCount == 0)
        {
            _changed.Release();
        }
    }

    /// <summary>Runs once before the first <see cref="RunDueAsync"/>.</summary>
    protected virtual Task StartingAsync(CancellationToken stoppingToken) => Task.CompletedTask;

    /// <summary>Runs what is due; returns when to run next, or null for no sooner than <see cref="MaxSleep"/>. A failure is the loop's to log.</summary>
    protected abstract Task<DateTimeOffset?> RunDueAsync(CancellationToken stoppingToken);

    /// <summary>Logs a failed run; the loop tries again at its next wake.</summary>
    protected abstract void Failed(Exception exception);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await StartingAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed(e);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset? next = null;
            try
            {
                next = await RunDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(e);
            }

            var sleep = next is { } at ? at - time.GetUtcNow() : MaxSleep;
            sleep = sleep < TimeSpan.Zero ? TimeSpan.Zero : sleep > MaxSleep ? MaxSleep : sleep;
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(sleep, time, wake.Token);
            var changed = _changed.WaitAsync(wake.Token);
            await Task.WhenAny(delay, changed);
            await wake.CancelAsync();
            try
            {
                await Task.WhenAll(delay, changed);
            }
            catch (OperationCanceledException)
            {
                // One of the two waits was cut short by the other.
            }
        }
    }

    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }
}
