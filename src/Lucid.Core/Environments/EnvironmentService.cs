using Lucid.Ids;
using Lucid.Results;
using Lucid.Storage;
using Lucid.Validation;

namespace Lucid.Environments;

/// <summary>Creates, updates and archives environments, validating at the edge.</summary>
public sealed class EnvironmentService
{
    private readonly IEnvironmentStore _store;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;

    /// <summary>Creates the service.</summary>
    public EnvironmentService(IEnvironmentStore store, TimeProvider? timeProvider = null, IdGenerator? ids = null)
    {
        _store = store;
        _time = timeProvider ?? TimeProvider.System;
        _ids = ids ?? IdGenerator.Random;
    }

    /// <summary>Creates an environment; without a config it gets <see cref="EnvironmentConfig.Default"/> (no network).</summary>
    public async Task<Result<AgentEnvironment>> CreateAsync(
        string workspaceId, string name, string? description, IReadOnlyDictionary<string, string>? metadata, EnvironmentConfig? config, CancellationToken cancellationToken)
    {
        config ??= EnvironmentConfig.Default;
        if ((Rules.Name(name) ?? Rules.Metadata(metadata) ?? EnvironmentConfigRules.Check(config)) is { } error)
        {
            return error;
        }

        var now = _time.GetUtcNow();
        var environment = new AgentEnvironment
        {
            Id = _ids.NewId(IdPrefixes.Environment),
            WorkspaceId = workspaceId,
            Name = name,
            Description = description,
            Metadata = metadata ?? new Dictionary<string, string>(),
            Config = config,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await _store.CreateEnvironmentAsync(environment, cancellationToken);
        return environment;
    }

    /// <summary>Replaces an environment's name, description, metadata and config; sessions started later use the new config.</summary>
    public async Task<Result<AgentEnvironment>> UpdateAsync(
        string workspaceId, string id, string name, string? description, IReadOnlyDictionary<string, string> metadata, EnvironmentConfig config, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, id, cancellationToken);
        if (!current.IsSuccess)
        {
            return current;
        }

        if ((Rules.Name(name) ?? Rules.Metadata(metadata) ?? EnvironmentConfigRules.Check(config)) is { } error)
        {
            return error;
        }

        if (config.SelfHosted != current.Value.Config.SelfHosted)
        {
            return LucidError.Invalid("config.type", $"An environment's config type cannot change (it is {(current.Value.Config.SelfHosted ? "self_hosted" : "cloud")}); create another environment.");
        }

        var next = current.Value with { Name = name, Description = description, Metadata = metadata, Config = config, UpdatedAt = _time.GetUtcNow() };
        await _store.UpdateEnvironmentAsync(next, cancellationToken);
        return next;
    }

    /// <summary>Archives an environment: new sessions can no longer use it.</summary>
    public async Task<Result<AgentEnvironment>> ArchiveAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, id, cancellationToken);
        if (!current.IsSuccess || current.Value.ArchivedAt is not null)
        {
            return current;
        }

        var now = _time.GetUtcNow();
        var archived = current.Value with { ArchivedAt = now, UpdatedAt = now };
        await _store.UpdateEnvironmentAsync(archived, cancellationToken);
        return archived;
    }

    /// <summary>Deletes an environment no unarchived session or deployment uses (409 otherwise: archive them first).</summary>
    public async Task<Result<string>> DeleteAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, id, cancellationToken);
        if (!current.IsSuccess)
        {
            return current.Error;
        }

        return await _store.DeleteEnvironmentAsync(id, cancellationToken) switch
        {
            EnvironmentDeletion.Deleted => id,
            EnvironmentDeletion.InUse => LucidError.Conflict($"Environment '{id}' is used by a session or deployment that is not archived; archive them (or archive the environment) first."),
            _ => LucidError.NotFound("Environment", id),
        };
    }

    /// <summary>The workspace's environments, newest first.</summary>
    public Task<Page<AgentEnvironment>> ListAsync(string workspaceId, bool includeArchived, PageRequest page, CancellationToken cancellationToken) =>
        _store.ListEnvironmentsAsync(workspaceId, includeArchived, page, cancellationToken);

    /// <summary>Returns an environment of the workspace, or a not-found error.</summary>
    public async Task<Result<AgentEnvironment>> GetAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var environment = await _store.GetEnvironmentAsync(id, cancellationToken);
        return environment is null || environment.WorkspaceId != workspaceId ? LucidError.NotFound("Environment", id) : environment;
    }
}
