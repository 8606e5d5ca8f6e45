using Lucid.Sessions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lucid.Cluster.Sessions;

/// <summary>
/// A graceful stop hands this node's sessions over without a reschedule: it stops before the node leaves the cluster,
/// lets the turns running here finish (their sessions go idle), then stops the runners, so the next input to any of
/// these sessions activates its grain on another node and starts a fresh runner there. A turn still running after
/// <see cref="ClusterSettings.DrainTimeout"/> is cut off; the survivors then reschedule it as after a crash.
/// </summary>
internal sealed partial class SessionDrain(SessionEngine engine, ClusterSettings settings, TimeProvider time, ILogger<SessionDrain> logger) : IHostedService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        drain.CancelAfter(settings.DrainTimeout);
        var running = await RunningHereAsync(CancellationToken.None);
        if (running > 0)
        {
            Draining(logger, running);
        }

        try
        {
            while (running > 0)
            {
                await Task.Delay(Poll, time, drain.Token);
                running = await RunningHereAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
            CutOff(logger, running);
        }

        // No runner of this node writes to a log once the node has left the cluster and another may own its sessions.
        await engine.DisposeAsync();
    }

    // The sessions whose turns run here now: those the store has running (or with a thread running) that have a runner here.
    private async Task<int> RunningHereAsync(CancellationToken cancellationToken) =>
        (await engine.InterruptedSessionsAsync(cancellationToken)).Count(engine.Runs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: waiting for the turns of {Count} session(s) running here to finish")]
    private static partial void Draining(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: {Count} session(s) still running here are cut off; the other nodes will reschedule them")]
    private static partial void CutOff(ILogger logger, int count);
}
