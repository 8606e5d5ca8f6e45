namespace Lucid.Agents;

/// <summary>
/// An agent's <c>multiagent</c> configuration: whether it may spawn session threads, which saved agents it may run in
/// them, whether it may define inline agents of its own, and which advisor model its primary thread may consult. Given as
/// <c>multiagent_20261001</c>, or as the older <c>coordinator</c> topology: a roster of saved agents (and at most one
/// advisor), which runs as sub-agents without inline agents.
/// </summary>
public sealed record MultiagentConfig
{
    /// <summary>The wire type name.</summary>
    public const string TypeName = "multiagent_20261001";

    /// <summary>The wire type name of the coordinator topology.</summary>
    public const string CoordinatorTypeName = "coordinator";

    /// <summary>At most this many predefined agents.</summary>
    public const int MaxPredefinedAgents = 20;

    /// <summary>Whether the agent may spawn session threads. Defaults to true.</summary>
    public bool Subagents { get; init; } = true;

    /// <summary>Whether the agent may define inline agents (not saved) when it spawns a thread. Defaults to true.</summary>
    public bool InlineAgents { get; init; } = true;

    /// <summary>The saved agents it may run in threads, each pinned to a version once the agent is saved.</summary>
    public IReadOnlyList<RosterEntry> PredefinedAgents { get; init; } = [];

    /// <summary>The model the session's primary thread may consult as its advisor, or null when it has none.</summary>
    public string? Advisor { get; init; }

    /// <summary>Whether the configuration was given as the <c>coordinator</c> topology, which the API returns as such.</summary>
    public bool Coordinator { get; init; }

    /// <summary>Where a coordinator's advisor entry stands among its <c>agents</c>, as given; null without one.</summary>
    public int? AdvisorPosition { get; init; }

    /// <summary>The roster's agents that still exist, in order (<c>self</c> is <paramref name="owner"/>).</summary>
    public async Task<IReadOnlyList<Agent>> LoadRosterAsync(Storage.IAgentStore store, Agent owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var roster = new List<Agent>(PredefinedAgents.Count);
        foreach (var entry in PredefinedAgents)
        {
            if ((entry.AgentId is { } id ? await store.GetAgentAsync(id, entry.Version, cancellationToken) : owner) is { } member)
            {
                roster.Add(member);
            }
        }

        return roster;
    }
}

/// <summary>One predefined agent: a saved agent at a version, or the agent that owns the configuration.</summary>
/// <param name="AgentId">The agent's ID, or null for <c>self</c>.</param>
/// <param name="Version">The version; null until the owning agent is saved (or always, for <c>self</c>, which follows the owner's version).</param>
public sealed record RosterEntry(string? AgentId, int? Version = null)
{
    /// <summary>The owning agent itself.</summary>
    public static RosterEntry Self { get; } = new(AgentId: null);

    /// <summary>Whether this entry is the owning agent.</summary>
    public bool IsSelf => AgentId is null;
}
