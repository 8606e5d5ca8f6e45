using System.Collections.Concurrent;
using Lucid.Storage;

namespace Lucid.Agents;

/// <summary>
/// Reads pinned agent versions through a cache. A version's definition never changes once written (an update adds the
/// next version), so a session's agent is read from the store once per process instead of on every turn and
/// response. Only whether the agent is archived changes, and callers that decide on that read the store themselves.
/// </summary>
public sealed class AgentVersions(IAgentStore store)
{
    // A process serves a bounded set of agents; past this many versions the cache starts afresh rather than growing.
    private const int MaxCached = 4096;
    private readonly ConcurrentDictionary<(string Id, int Version), Agent> _cached = new();

    /// <summary>Returns the definition of an agent version, or null when the store has no such version.</summary>
    public async Task<Agent?> GetAsync(string id, int version, CancellationToken cancellationToken)
    {
        if (_cached.TryGetValue((id, version), out var cached))
        {
            return cached;
        }

        var agent = await store.GetAgentAsync(id, version, cancellationToken);
        if (agent is not null)
        {
            Remember(agent);
        }

        return agent;
    }

    /// <summary>Keeps a version just read from the store, so the next read of it is served here.</summary>
    public void Remember(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (_cached.Count >= MaxCached)
        {
            _cached.Clear();
        }

        _cached[(agent.Id, agent.Version)] = agent;
    }
}
