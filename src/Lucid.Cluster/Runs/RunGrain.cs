namespace Lucid.Cluster.Runs;

/// <summary>
/// The runner of one background run (<see cref="IRunGrain"/>). It stays active while its run runs here, so a node that
/// settles runs reaches this activation and leaves a running one alone; once the run has ended here, it goes idle.
/// </summary>
internal abstract class RunGrain<TRunner>(TRunner runner) : Grain
    where TRunner : IBackgroundRunner
{
    // How often the grain checks that its run still runs here.
    private static readonly TimeSpan RunCheck = TimeSpan.FromMinutes(1);

    /// <summary>The process's runner of this kind of run.</summary>
    protected TRunner Runner => runner;

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
