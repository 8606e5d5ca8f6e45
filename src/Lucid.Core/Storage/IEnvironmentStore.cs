using Lucid.Environments;

namespace Lucid.Storage;

/// <summary>Persists environments.</summary>
public interface IEnvironmentStore
{
    /// <summary>Stores a new environment.</summary>
    Task CreateEnvironmentAsync(AgentEnvironment environment, CancellationToken cancellationToken);

    /// <summary>Replaces a stored environment. Returns false when absent.</summary>
    Task<bool> UpdateEnvironmentAsync(AgentEnvironment environment, CancellationToken cancellationToken);

    /// <summary>Returns an environment, or null.</summary>
    Task<AgentEnvironment?> GetEnvironmentAsync(string id, CancellationToken cancellationToken);

    /// <summary>Lists a workspace's environments, newest first.</summary>
    Task<Page<AgentEnvironment>> ListEnvironmentsAsync(string workspaceId, bool includeArchived, PageRequest page, CancellationToken cancellationToken);
}
