using Lucid.Sessions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Lucid.Cluster.Sessions;

/// <summary>
/// Failover: when the membership declares a node dead, the surviving nodes resume the sessions it was running, each on
/// one survivor (<see cref="SurvivorShare"/>), through the session's grain, so that a session is rescheduled once
/// (<c>session.status_rescheduled</c>, the single-node restart rules: a cut-off tool call is not run again). A session
/// still running on a live node is found live by its grain and left alone.
/// </summary>
internal sealed partial class DeadNodeRecovery(
    IClusterMembershipService membership, ILocalSiloDetails self, IGrainFactory grains, SessionEngine engine, TimeProvider time, ILogger<DeadNodeRecovery> logger)
    : BackgroundService
{
    // A session whose grain cannot be reached yet (the directory is still moving the dead node's range) is tried again.
    private const int Attempts = 10;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dead = Dead(membership.CurrentSnapshot);
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
        {
            var nowDead = Dead(snapshot);
            var died = nowDead.Except(dead).ToList();
            dead = nowDead;
            if (died.Count == 0 || snapshot.GetSiloStatus(self.SiloAddress) != SiloStatus.Active)
            {
                continue;
            }

            NodeDied(logger, string.Join(", ", died));
            try
            {
                var active = snapshot.Members.Values.Where(member => member.Status == SiloStatus.Active).Select(member => member.SiloAddress).ToList();
                var count = await ResumeShareAsync(active, stoppingToken);
                Rescheduled(logger, count);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                RecoveryFailed(logger, ex);
            }
        }
    }

    private static HashSet<SiloAddress> Dead(ClusterMembershipSnapshot snapshot) =>
        [.. snapshot.Members.Values.Where(member => member.Status == SiloStatus.Dead).Select(member => member.SiloAddress)];

    private async Task<int> ResumeShareAsync(IReadOnlyCollection<SiloAddress> active, CancellationToken cancellationToken)
    {
        var pending = (await engine.InterruptedSessionsAsync(cancellationToken)).Where(id => SurvivorShare.IsMine(id, self.SiloAddress, active)).ToList();
        var count = 0;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var failed = new List<string>();
            foreach (var sessionId in pending)
            {
                try
                {
                    count += await grains.GetGrain<ISessionGrain>(sessionId).ResumeAsync().WaitAsync(cancellationToken) ? 1 : 0;
                }
                catch (Exception ex) when (ex is not OperationCanceledException && attempt < Attempts)
                {
                    ResumeRetried(logger, sessionId, ex.Message);
                    failed.Add(sessionId);
                }
            }

            pending = failed;
            if (pending.Count > 0)
            {
                await Task.Delay(RetryDelay, time, cancellationToken);
            }
        }

        return count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster node(s) {Nodes} declared dead; resuming this node's share of the sessions they ran")]
    private static partial void NodeDied(ILogger logger, string nodes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rescheduled {Count} session(s) of dead node(s) here")]
    private static partial void Rescheduled(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} could not be resumed yet ({Reason}); trying again")]
    private static partial void ResumeRetried(ILogger logger, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Resuming the sessions of a dead node failed")]
    private static partial void RecoveryFailed(ILogger logger, Exception exception);
}
