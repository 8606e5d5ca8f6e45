using Lucid.Dreams;
using Orleans.Placement;

namespace Lucid.Cluster.Dreams;

/// <summary>
/// The runner of one dream (<see cref="IDreamGrain"/>). It is placed on the node that first calls it: the one that
/// created the dream, or, after that node stopped, the first node to settle it. It stays active while the dream runs
/// here, so a node that settles dreams reaches this activation and leaves a running dream alone.
/// </summary>
[PreferLocalPlacement]
internal sealed class DreamGrain(DreamRunner runner) : Grain, IDreamGrain
{
    // How often the grain checks that its dream still runs here.
    private static readonly TimeSpan RunCheck = TimeSpan.FromMinutes(1);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(KeepWhileRunningAsync, new GrainTimerCreationOptions(RunCheck, RunCheck) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public Task StartAsync()
    {
        runner.Start(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public Task CancelAsync()
    {
        runner.Cancel(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public Task<bool> SettleAsync() => runner.SettleAsync(this.GetPrimaryKeyString(), CancellationToken.None);

    private Task KeepWhileRunningAsync(CancellationToken cancellationToken)
    {
        if (!runner.Runs(this.GetPrimaryKeyString()))
        {
            this.DeactivateOnIdle();
        }

        return Task.CompletedTask;
    }
}
