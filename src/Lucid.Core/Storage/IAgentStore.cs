using Lucid.Agents;

namespace Lucid.Storage;

/// <summary>Persists agents and every version of them.</summary>
public interface IAgentStore
{
    /// <summary>Stores version 1 of a new agent.</summary>
    Task CreateAgentAsync(Agent agent, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a new version. Returns false, storing nothing, when <paramref name="agent"/>'s version is not
    /// exactly the latest stored version plus one (a concurrent update won).
    /// </summary>
    Task<bool> AddAgentVersionAsync(Agent agent, CancellationToken cancellationToken);

    /// <summary>Returns the given version of an agent, or its latest version when <paramref name="version"/> is null; null when absent.</summary>
    Task<Agent?> GetAgentAsync(string id, int? version, CancellationToken cancellationToken);

    /// <summary>Lists the latest version of each agent in a workspace, newest first.</summary>
    Task<Page<Agent>> ListAgentsAsync(string workspaceId, AgentQuery query, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Lists every version of an agent, newest first.</summary>
    Task<Page<Agent>> ListAgentVersionsAsync(string id, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Marks an agent (all versions) archived at the given time. Returns false when absent.</summary>
    Task<bool> ArchiveAgentAsync(string id, DateTimeOffset archivedAt, CancellationToken cancellationToken);
}
