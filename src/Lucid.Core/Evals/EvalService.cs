using Lucid.Agents;
using Lucid.Environments;
using Lucid.Ids;
using Lucid.Memory;
using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Evals;

/// <summary>
/// Eval runs as the API and the CLI see them: create one from a suite, read it, list them. Creating checks everything a
/// run needs — the agent, the environment, every arm's memory — and makes what it must (an inline agent, a new
/// environment, snapshot stores) before storing the run; when a check fails, nothing is left behind.
/// </summary>
public sealed class EvalService
{
    private readonly ILucidStore _store;
    private readonly MemoryService _memory;
    private readonly AgentService _agents;
    private readonly EnvironmentService _environments;
    private readonly EvalArmStores _armStores;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;

    /// <summary>Creates the service.</summary>
    public EvalService(ILucidStore store, MemoryService memory, TimeProvider? timeProvider = null, IdGenerator? ids = null)
    {
        _store = store;
        _memory = memory;
        _time = timeProvider ?? TimeProvider.System;
        _ids = ids ?? IdGenerator.Random;
        _agents = new AgentService(store, store, _time, _ids);
        _environments = new EnvironmentService(store, _time, _ids);
        _armStores = new EvalArmStores(memory, store);
    }

    /// <summary>Called with each run once it is stored, to start it (the server runs it in the background).</summary>
    public Action<EvalRun>? Created { get; init; }

    /// <summary>
    /// Checks a suite against the workspace, makes what its run needs, stores the run as pending and hands it to
    /// <see cref="Created"/>. Snapshot stores are written by <paramref name="actor"/>.
    /// </summary>
    public Task<Result<EvalRun>> CreateAsync(string workspaceId, EvalSuite suite, MemoryActor actor, CancellationToken cancellationToken) =>
        CreateAsync(workspaceId, suite, actor, null, cancellationToken);

    /// <summary>As <see cref="CreateAsync(string, EvalSuite, MemoryActor, CancellationToken)"/>, for a run that validates a lesson of dream <paramref name="validatesDreamId"/> by replay.</summary>
    public async Task<Result<EvalRun>> CreateAsync(string workspaceId, EvalSuite suite, MemoryActor actor, string? validatesDreamId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suite);
        if (await CheckSavedAsync(workspaceId, suite, cancellationToken) is { } error)
        {
            return error;
        }

        var run = new EvalRun { Id = _ids.NewId(IdPrefixes.EvalRun), WorkspaceId = workspaceId, Suite = suite, ValidatesDreamId = validatesDreamId, CreatedAt = _time.GetUtcNow() };
        var stores = await _armStores.ResolveAsync(run, actor, cancellationToken);
        if (!stores.IsSuccess)
        {
            return stores.Error;
        }

        var tag = new Dictionary<string, string>(StringComparer.Ordinal) { [EvalMetadata.RunId] = run.Id };
        var agent = suite.Agent.AgentId ?? await CreateAgentAsync(workspaceId, suite.Agent.Definition!, tag, cancellationToken);
        var environment = suite.EnvironmentId ?? await CreateEnvironmentAsync(workspaceId, run.Id, tag, cancellationToken);
        if ((agent.Error ?? environment.Error) is { } failed)
        {
            await _armStores.DeleteSnapshotsAsync(run with { ArmStores = stores.Value });
            return failed;
        }

        run = run with { AgentId = agent.Value, EnvironmentId = environment.Value, ArmStores = stores.Value };
        await _store.CreateEvalRunAsync(run, cancellationToken);
        Created?.Invoke(run);
        return run;
    }

    /// <summary>A run of the workspace, or a not-found error.</summary>
    public async Task<Result<EvalRun>> GetAsync(string workspaceId, string id, CancellationToken cancellationToken) =>
        await _store.GetEvalRunAsync(id, cancellationToken) is { } run && run.WorkspaceId == workspaceId ? run : LucidError.NotFound("Eval run", id);

    /// <summary>The workspace's runs, newest first.</summary>
    public Task<Page<EvalRun>> ListAsync(string workspaceId, PageRequest page, CancellationToken cancellationToken) =>
        _store.ListEvalRunsAsync(workspaceId, page, cancellationToken);

    private async Task<LucidError?> CheckSavedAsync(string workspaceId, EvalSuite suite, CancellationToken cancellationToken)
    {
        if (suite.Agent.AgentId is { } agentId)
        {
            var agent = await _store.GetAgentAsync(agentId, null, cancellationToken);
            if (agent is null || agent.WorkspaceId != workspaceId)
            {
                return LucidError.NotFound("Agent", agentId);
            }

            if (agent.ArchivedAt is not null)
            {
                return LucidError.Invalid("agent", $"Agent '{agentId}' is archived; sessions can no longer use it.");
            }
        }

        if (suite.EnvironmentId is { } environmentId)
        {
            var environment = await _store.GetEnvironmentAsync(environmentId, cancellationToken);
            if (environment is null || environment.WorkspaceId != workspaceId)
            {
                return LucidError.NotFound("Environment", environmentId);
            }

            if (environment.ArchivedAt is not null)
            {
                return LucidError.Invalid("environment", $"Environment '{environmentId}' is archived; sessions can no longer use it.");
            }
        }

        return null;
    }

    private async Task<Result<string>> CreateEnvironmentAsync(string workspaceId, string runId, Dictionary<string, string> tag, CancellationToken cancellationToken)
    {
        var created = await _environments.CreateAsync(workspaceId, $"eval {runId}", null, tag, null, cancellationToken);
        return created.IsSuccess ? created.Value.Id : created.Error;
    }

    private async Task<Result<string>> CreateAgentAsync(string workspaceId, AgentDefinition definition, Dictionary<string, string> tag, CancellationToken cancellationToken)
    {
        var created = await _agents.CreateAsync(workspaceId, definition with { Metadata = tag }, cancellationToken);
        return created.IsSuccess ? created.Value.Id : created.Error with { Field = created.Error.Field is { } field ? $"agent.{field}" : "agent" };
    }

}
