using Lucid.Ids;
using Lucid.Results;
using Lucid.Sessions;
using Lucid.Storage;

namespace Lucid.Deployments;

/// <summary>
/// Starts deployments' sessions and records each start as a run. A scheduled run is claimed in the store (unique per
/// deployment and tick) before its session is created, so a tick seen by two nodes, or again after a restart, runs once.
/// </summary>
public sealed class DeploymentRuns
{
    private readonly ILucidStore _store;
    private readonly SessionService _sessions;

    /// <summary>The sessions the runs start (their rules also check a deployment's budget).</summary>
    internal SessionService Sessions => _sessions;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;

    /// <summary>Creates the runner.</summary>
    public DeploymentRuns(ILucidStore store, SessionService sessions, TimeProvider time, IdGenerator ids)
    {
        _store = store;
        _sessions = sessions;
        _time = time;
        _ids = ids;
    }

    /// <summary>Starts a session now, outside the schedule.</summary>
    public async Task<DeploymentRun> RunManualAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var run = NewRun(deployment, DeploymentTrigger.Manual, null);
        await _store.TryAddRunAsync(run, cancellationToken);
        return await StartSessionAsync(deployment, run, cancellationToken);
    }

    /// <summary>
    /// Gives every run left without a session or an error (its process stopped between claiming the tick and recording
    /// the session) an <c>unknown_error</c>; its tick stays claimed and is not run again. Call once on start, before
    /// any run of this process begins. Returns how many runs it closed.
    /// </summary>
    public async Task<int> CloseUnfinishedAsync(CancellationToken cancellationToken)
    {
        var closed = 0;
        Page<DeploymentRun> unfinished;
        do
        {
            // Closing a run takes it out of the query, so the first page is read again until it is empty.
            unfinished = await _store.ListRunsAsync(null, new DeploymentRunQuery { Unfinished = true }, new PageRequest(100), cancellationToken);
            foreach (var run in unfinished.Items)
            {
                var error = new DeploymentRunError("unknown_error", "The server stopped while this run was starting its session; the tick is not run again.");
                await _store.UpdateRunAsync(run with { Error = error }, cancellationToken);
                closed++;
            }
        }
        while (unfinished.Items.Count > 0);

        return closed;
    }

    /// <summary>
    /// Runs every active scheduled deployment's latest tick at or before now that has not been counted yet; older
    /// missed ticks are skipped. Returns the time of the next tick of any of them, or null when none is scheduled.
    /// </summary>
    public async Task<DateTimeOffset?> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        DateTimeOffset? next = null;
        string? page = null;
        do
        {
            var deployments = await _store.ListDeploymentsAsync(null, new DeploymentQuery { Paused = false, ScheduledOnly = true }, new PageRequest(100, page), cancellationToken);
            foreach (var deployment in deployments.Items)
            {
                var tick = await RunTickAsync(deployment, now, cancellationToken);
                if (tick is { } t && (next is null || t < next))
                {
                    next = t;
                }
            }

            page = deployments.NextPage;
        }
        while (page is not null);

        return next;
    }

    // Runs the deployment's due tick, if any, and returns its next tick.
    private async Task<DateTimeOffset?> RunTickAsync(Deployment deployment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (deployment.Schedule is not { } schedule || CronSchedule.Parse(schedule.Expression, schedule.Timezone) is not { IsSuccess: true } parsed)
        {
            return null;
        }

        var cron = parsed.Value!;
        if (cron.Latest(schedule.CountsFrom, now) is { } tick)
        {
            var run = NewRun(deployment, DeploymentTrigger.Schedule, tick);
            // A tick another node or an earlier process claimed is not run again, and only its claimant records it: a
            // second node writing the schedule it read before the claimant wrote would undo the claimant's last run.
            // A claimant that died before recording its tick leaves the schedule counting from before it; the tick
            // stays claimed, and the next tick is claimed as usual.
            if (await _store.TryAddRunAsync(run, cancellationToken))
            {
                // Read again just before writing, so a pause or edit made meanwhile is kept.
                if (await _store.GetDeploymentAsync(deployment.Id, cancellationToken) is { Schedule: { } s } latest
                    && s.Expression == schedule.Expression && s.Timezone == schedule.Timezone && s.CountsFrom < tick)
                {
                    await _store.UpdateDeploymentAsync(latest with { Schedule = s with { CountsFrom = tick, LastRunAt = now } }, cancellationToken);
                }

                await StartSessionAsync(deployment, run, cancellationToken);
            }

            }

        return cron.Next(now, 1) is [var upcoming] ? upcoming : null;
    }

    private DeploymentRun NewRun(Deployment deployment, DeploymentTrigger trigger, DateTimeOffset? scheduledAt) => new()
    {
        Id = _ids.NewId(IdPrefixes.DeploymentRun),
        WorkspaceId = deployment.WorkspaceId,
        DeploymentId = deployment.Id,
        AgentId = deployment.AgentId,
        AgentVersion = deployment.AgentVersion,
        Trigger = trigger,
        ScheduledAt = scheduledAt,
        CreatedAt = _time.GetUtcNow(),
    };

    private async Task<DeploymentRun> StartSessionAsync(Deployment deployment, DeploymentRun run, CancellationToken cancellationToken)
    {
        var created = await _sessions.CreateAsync(deployment.WorkspaceId, new SessionDefinition
        {
            AgentId = deployment.AgentId,
            AgentVersion = deployment.AgentVersion,
            EnvironmentId = deployment.EnvironmentId,
            DeploymentId = deployment.Id,
            InitialEvents = deployment.InitialEvents,
            Resources = deployment.Resources,
            Files = deployment.Files,
            Repositories = deployment.Repositories,
            VaultIds = deployment.VaultIds,
            Budget = deployment.Budget,
        }, cancellationToken);
        var finished = created.IsSuccess ? run with { SessionId = created.Value!.Id } : run with { Error = RunError(created.Error!) };
        await _store.UpdateRunAsync(finished, cancellationToken);
        return finished;
    }

    private static DeploymentRunError RunError(LucidError error) => new(
        error.Message.StartsWith("Agent", StringComparison.Ordinal) && error.Message.Contains("archived", StringComparison.Ordinal) ? "agent_archived_error"
            : error.Message.StartsWith("Environment", StringComparison.Ordinal) && error.Message.Contains("archived", StringComparison.Ordinal) ? "environment_archived_error"
            : error.Kind == ErrorKind.NotFound && error.Message.StartsWith("Environment", StringComparison.Ordinal) ? "environment_not_found_error"
            : "session_creation_rejected_error",
        error.Message);
}
