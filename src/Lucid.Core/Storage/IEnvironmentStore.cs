using Lucid.Environments;

namespace Lucid.Storage;

/// <summary>What deleting an environment did.</summary>
public enum EnvironmentDeletion
{
    /// <summary>It is gone.</summary>
    Deleted,

    /// <summary>There was no such environment.</summary>
    NotFound,

    /// <summary>An unarchived session or deployment uses it; nothing changed.</summary>
    InUse,
}

/// <summary>Persists environments.</summary>
public interface IEnvironmentStore
{
    /// <summary>Stores a new environment.</summary>
    Task CreateEnvironmentAsync(AgentEnvironment environment, CancellationToken cancellationToken);

    /// <summary>Replaces a stored environment. Returns false when absent.</summary>
    Task<bool> UpdateEnvironmentAsync(AgentEnvironment environment, CancellationToken cancellationToken);

    /// <summary>Returns an environment, or null.</summary>
    Task<AgentEnvironment?> GetEnvironmentAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes an environment unless an unarchived session or deployment uses it, checked in the same transaction so a
    /// use that commits first wins.
    /// </summary>
    Task<EnvironmentDeletion> DeleteEnvironmentAsync(string id, CancellationToken cancellationToken);

    /// <summary>Lists a workspace's environments, newest first.</summary>
    Task<Page<AgentEnvironment>> ListEnvironmentsAsync(string workspaceId, bool includeArchived, PageRequest page, CancellationToken cancellationToken);
}
