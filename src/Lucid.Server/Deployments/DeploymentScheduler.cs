using Lucid.Deployments;
using Lucid.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lucid.Server.Deployments;

/// <summary>
/// Runs deployments' cron ticks on the server's <see cref="TimeProvider"/>. It sleeps until the next tick of any
/// deployment (at most <see cref="MaxSleep"/>, so ticks claimed by another node are noticed) and wakes early when a
/// deployment changes. On start it runs each deployment's latest tick missed while the server was down, once.
/// </summary>
internal sealed partial class DeploymentScheduler(DeploymentRuns runs, TimeProvider time, ILogger<DeploymentScheduler> logger) : BackgroundService
{
    /// <summary>The longest sleep between looks at the schedules.</summary>
    public static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _changed = new(0);

    /// <summary>Wakes the scheduler to look at the schedules again.</summary>
    public void Wake()
    {
        if (_changed.CurrentCount == 0)
        {
            _changed.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (await runs.CloseUnfinishedAsync(stoppingToken) is > 0 and var closed)
            {
                Closed(logger, closed);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed(logger, e);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset? next = null;
            try
            {
                next = await runs.RunDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(logger, e);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closed {Count} deployment run(s) left unfinished when the server last stopped")]
    private static partial void Closed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Running deployment schedules failed; trying again at the next tick")]
    private static partial void Failed(ILogger logger, Exception exception);
}
