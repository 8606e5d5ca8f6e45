using Lucid.Ids;
using Lucid.Results;
using Lucid.Sessions;
using Lucid.Storage;
using Lucid.Validation;

namespace Lucid.Deployments;

/// <summary>
/// Deployments as the API sees them: create, update, pause, unpause, archive, run now. Every input is checked before
/// anything is stored; runs start their sessions through <see cref="SessionService"/>.
/// </summary>
public sealed class DeploymentService
{
    /// <summary>At most this many initial events.</summary>
    public const int MaxInitialEvents = 50;

    private readonly ILucidStore _store;
    private readonly DeploymentRuns _runs;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;

    /// <summary>Creates the service.</summary>
    public DeploymentService(ILucidStore store, DeploymentRuns runs, TimeProvider? timeProvider = null, IdGenerator? ids = null)
    {
        _store = store;
        _runs = runs;
        _time = timeProvider ?? TimeProvider.System;
        _ids = ids ?? IdGenerator.Random;
    }

    /// <summary>Called after a deployment's schedule may have changed, so a scheduler can look again.</summary>
    public Action? Changed { get; init; }

    /// <summary>Creates a deployment pinned to an agent version.</summary>
    public async Task<Result<Deployment>> CreateAsync(string workspaceId, DeploymentDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var now = _time.GetUtcNow();
        var checkedDraft = await CheckAsync(workspaceId, draft, cancellationToken);
        if (!checkedDraft.IsSuccess)
        {
            return checkedDraft.Error;
        }

        var deployment = new Deployment
        {
            Id = _ids.NewId(IdPrefixes.Deployment),
            WorkspaceId = workspaceId,
            Name = draft.Name,
            Description = draft.Description,
            AgentId = draft.AgentId,
            AgentVersion = checkedDraft.Value,
            EnvironmentId = draft.EnvironmentId,
            InitialEvents = draft.InitialEvents,
            Resources = draft.Resources,
            Files = draft.Files,
            Repositories = draft.Repositories,
            VaultIds = draft.VaultIds,
            Metadata = draft.Metadata,
            Budget = draft.Budget,
            Schedule = draft.Schedule is { } s ? new DeploymentSchedule { Expression = s.Expression, Timezone = s.Timezone, CountsFrom = now } : null,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await _store.CreateDeploymentAsync(deployment, cancellationToken);
        Changed?.Invoke();
        return deployment;
    }

    /// <summary>Applies an update built from the current deployment; a changed schedule counts ticks from now.</summary>
    public async Task<Result<Deployment>> UpdateAsync(string workspaceId, string id, Func<Deployment, DeploymentDraft> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var current = await GetAsync(workspaceId, id, cancellationToken);
        if (!current.IsSuccess)
        {
            return current;
        }

        if (current.Value.ArchivedAt is not null)
        {
            return LucidError.Invalid("deployment_id", $"Deployment '{id}' is archived and cannot be changed.");
        }

        var draft = change(current.Value);
        var version = await CheckAsync(workspaceId, draft, cancellationToken);
        if (!version.IsSuccess)
        {
            return version.Error;
        }

        var now = _time.GetUtcNow();
        var old = current.Value.Schedule;
        var schedule = draft.Schedule is not { } s ? null
            : old is not null && old.Expression == s.Expression && old.Timezone == s.Timezone ? old
            : new DeploymentSchedule { Expression = s.Expression, Timezone = s.Timezone, CountsFrom = now, LastRunAt = old?.LastRunAt };
        var next = current.Value with
        {
            Name = draft.Name,
            Description = draft.Description,
            AgentId = draft.AgentId,
            AgentVersion = version.Value,
            EnvironmentId = draft.EnvironmentId,
            InitialEvents = draft.InitialEvents,
            Resources = draft.Resources,
            Files = draft.Files,
            Repositories = draft.Repositories,
            VaultIds = draft.VaultIds,
            Metadata = draft.Metadata,
            Budget = draft.Budget,
            Schedule = schedule,
            UpdatedAt = now,
        };
        await _store.UpdateDeploymentAsync(next, cancellationToken);
        Changed?.Invoke();
        return next;
    }

    /// <summary>Pauses a deployment: its ticks are skipped (never run later) until it is unpaused.</summary>
    public Task<Result<Deployment>> PauseAsync(string workspaceId, string id, CancellationToken cancellationToken) =>
        ChangeStateAsync(workspaceId, id, (d, now) => d.PausedAt is not null ? d : d with { PausedAt = now, UpdatedAt = now }, cancellationToken);

    /// <summary>Unpauses a deployment; its schedule counts ticks from now.</summary>
    public Task<Result<Deployment>> UnpauseAsync(string workspaceId, string id, CancellationToken cancellationToken) =>
        ChangeStateAsync(workspaceId, id, (d, now) => d.PausedAt is null ? d : d with
        {
            PausedAt = null,
            UpdatedAt = now,
            Schedule = d.Schedule is { } s ? s with { CountsFrom = now } : null,
        }, cancellationToken);

    /// <summary>Archives a deployment: it never runs again. Archiving twice returns it unchanged.</summary>
    public async Task<Result<Deployment>> ArchiveAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, id, cancellationToken);
        if (!current.IsSuccess || current.Value.ArchivedAt is not null)
        {
            return current;
        }

        var now = _time.GetUtcNow();
        var archived = current.Value with { ArchivedAt = now, UpdatedAt = now };
        await _store.UpdateDeploymentAsync(archived, cancellationToken);
        Changed?.Invoke();
        return archived;
    }

    /// <summary>Starts a session from the deployment now, paused or not, and records the run.</summary>
    public async Task<Result<DeploymentRun>> RunNowAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, id, cancellationToken);
        if (!current.IsSuccess)
        {
            return current.Error;
        }

        return current.Value.ArchivedAt is not null
            ? LucidError.Invalid("deployment_id", $"Deployment '{id}' is archived and cannot run.")
            : await _runs.RunManualAsync(current.Value, cancellationToken);
    }

    /// <summary>Returns a deployment of the workspace, or a not-found error.</summary>
    public async Task<Result<Deployment>> GetAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var deployment = await _store.GetDeploymentAsync(id, cancellationToken);
        return deployment is null || deployment.WorkspaceId != workspaceId ? LucidError.NotFound("Deployment", id) : deployment;
    }

    /// <summary>Returns a run of the workspace, or a not-found error.</summary>
    public async Task<Result<DeploymentRun>> GetRunAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var run = await _store.GetRunAsync(id, cancellationToken);
        return run is null || run.WorkspaceId != workspaceId ? LucidError.NotFound("Deployment run", id) : run;
    }

    private async Task<Result<Deployment>> ChangeStateAsync(string workspaceId, string id, Func<Deployment, DateTimeOffset, Deployment> change, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, id, cancellationToken);
        if (!current.IsSuccess)
        {
            return current;
        }

        if (current.Value.ArchivedAt is not null)
        {
            return LucidError.Invalid("deployment_id", $"Deployment '{id}' is archived.");
        }

        var next = change(current.Value, _time.GetUtcNow());
        if (!ReferenceEquals(next, current.Value))
        {
            await _store.UpdateDeploymentAsync(next, cancellationToken);
            Changed?.Invoke();
        }

        return next;
    }

    // Returns the agent version to pin.
    private async Task<Result<int>> CheckAsync(string workspaceId, DeploymentDraft draft, CancellationToken cancellationToken)
    {
        var error = Rules.Name(draft.Name) ?? Rules.Metadata(draft.Metadata)
            ?? (draft.InitialEvents.Count is 0 or > MaxInitialEvents ? LucidError.Invalid("initial_events", $"initial_events must hold 1 to {MaxInitialEvents} events.") : null)
            ?? SessionInputRules.CheckInitial(draft.InitialEvents)
            ?? (draft.Schedule is { } s && CronSchedule.Parse(s.Expression, s.Timezone) is { IsSuccess: false } bad ? bad.Error : null);
        if (error is not null)
        {
            return error;
        }

        var agent = IdPrefixes.Has(draft.AgentId, IdPrefixes.Agent) ? await _store.GetAgentAsync(draft.AgentId, draft.AgentVersion, cancellationToken) : null;
        if (agent is null || agent.WorkspaceId != workspaceId)
        {
            return draft.AgentVersion is { } v ? LucidError.NotFound("Agent version", $"{draft.AgentId} v{v}") : LucidError.NotFound("Agent", draft.AgentId);
        }

        if (agent.ArchivedAt is not null)
        {
            return LucidError.Invalid("agent", $"Agent '{agent.Id}' is archived; deployments can no longer use it.");
        }

        var environment = IdPrefixes.Has(draft.EnvironmentId, IdPrefixes.Environment) ? await _store.GetEnvironmentAsync(draft.EnvironmentId, cancellationToken) : null;
        if (environment is null || environment.WorkspaceId != workspaceId)
        {
            return LucidError.NotFound("Environment", draft.EnvironmentId);
        }

        if (environment.ArchivedAt is not null)
        {
            return LucidError.Invalid("environment_id", $"Environment '{environment.Id}' is archived; deployments can no longer use it.");
        }

        if (draft.Budget is not null && await _runs.Sessions.Budgets.ErrorForAgentAsync(agent, cancellationToken) is { } budgetError)
        {
            return budgetError;
        }

        return await ReferencesErrorAsync(workspaceId, draft, cancellationToken) is { } referenceError ? referenceError : agent.Version;
    }

    // Vaults and memory stores must be the workspace's and not archived, and files the workspace's at paths a session
    // can mount them at, as a session created now would need. Tokens are refused at the edge: a deployment keeps none.
    private async Task<LucidError?> ReferencesErrorAsync(string workspaceId, DeploymentDraft draft, CancellationToken cancellationToken)
    {
        for (var i = 0; i < draft.VaultIds.Count; i++)
        {
            var id = draft.VaultIds[i];
            var vault = IdPrefixes.Has(id, IdPrefixes.Vault) ? await _store.GetVaultAsync(id, cancellationToken) : null;
            if (vault is null || vault.WorkspaceId != workspaceId || vault.ArchivedAt is not null || draft.VaultIds.Take(i).Contains(id, StringComparer.Ordinal))
            {
                return LucidError.Invalid($"vault_ids[{i}]", $"'{id}' is not a distinct, unarchived vault of this workspace.");
            }
        }

        for (var i = 0; i < draft.Resources.Count; i++)
        {
            var id = draft.Resources[i].MemoryStoreId;
            var store = IdPrefixes.Has(id, IdPrefixes.MemoryStore) ? await _store.GetMemoryStoreAsync(id, cancellationToken) : null;
            if (store is null || store.WorkspaceId != workspaceId || store.ArchivedAt is not null)
            {
                return LucidError.Invalid($"resources[{i}].memory_store_id", $"'{id}' is not an unarchived memory store of this workspace.");
            }
        }

        if (draft.Repositories.Any(r => r.AuthorizationToken is not null))
        {
            throw new ArgumentException("A deployment keeps no repository token.", nameof(draft));
        }

        var mounts = await _runs.Sessions.Resources.CheckAsync(workspaceId, draft.Files, draft.Repositories, cancellationToken);
        return mounts.IsSuccess ? null : mounts.Error;
    }
}
