using Lucid.Models;
using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Agents;

/// <summary>
/// The documented rules of a <c>multiagent</c> configuration, checked against the workspace's agents: its roster's size,
/// distinct agents that exist and are not archived (a coordinator's also without a <c>multiagent</c> of their own), each
/// pinned to a version; and an advisor whose model Lucid can resolve and whose tool no custom tool shadows.
/// </summary>
public static class MultiagentRules
{
    /// <summary>
    /// The configuration with every predefined agent pinned to a version (the latest one when none is given), or why it
    /// breaks a rule, naming the field.
    /// </summary>
    public static async Task<Result<MultiagentConfig?>> ResolveAsync(
        IAgentStore store, string workspaceId, string selfId, AgentDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Multiagent is not { } config)
        {
            return Result<MultiagentConfig?>.Ok(null);
        }

        if (CheckShape(config, definition) is { } shapeError)
        {
            return shapeError;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var resolved = new List<RosterEntry>(config.PredefinedAgents.Count);
        for (var i = 0; i < config.PredefinedAgents.Count; i++)
        {
            var entry = config.PredefinedAgents[i];
            var field = $"{RosterField(config)}[{PositionOf(config, i)}]";
            if (!seen.Add(entry.AgentId ?? selfId))
            {
                return LucidError.Invalid(field, $"'{entry.AgentId ?? "self"}' is listed more than once; each predefined agent must be a distinct agent.");
            }

            if (entry.AgentId is not { } agentId)
            {
                resolved.Add(entry);
                continue;
            }

            var agent = await store.GetAgentAsync(agentId, entry.Version, cancellationToken);
            if (agent is null || agent.WorkspaceId != workspaceId)
            {
                return LucidError.Invalid(field, entry.Version is { } v ? $"Agent '{entry.AgentId}' has no version {v}." : $"Agent '{entry.AgentId}' does not exist.");
            }

            if (agent.ArchivedAt is not null)
            {
                return LucidError.Invalid(field, $"Agent '{agent.Id}' is archived and cannot be a predefined agent.");
            }

            if (config.Coordinator && agent.Multiagent is not null)
            {
                return LucidError.Invalid(field, $"Agent '{agent.Id}' has a multiagent configuration of its own; a coordinator's agents may not (depth limit 1).");
            }

            resolved.Add(new RosterEntry(agent.Id, agent.Version));
        }

        return config with { PredefinedAgents = resolved };
    }

    /// <summary>Null when the configuration's advisor model (if any) is one Lucid can resolve; otherwise why not, naming the field.</summary>
    public static LucidError? CheckAdvisorModel(IChatClientResolver models, MultiagentConfig? config)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (config?.Advisor is not { } model)
        {
            return null;
        }

        var resolved = models.Resolve(model);
        return resolved.IsSuccess ? null : LucidError.Invalid(AdvisorField(config), $"The advisor model cannot be used: {resolved.Error.Message}");
    }

    /// <summary>The field a configuration's advisor model is given in.</summary>
    public static string AdvisorField(MultiagentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Coordinator ? $"multiagent.agents[{config.AdvisorPosition}].model" : "multiagent.advisor.model";
    }

    private static LucidError? CheckShape(MultiagentConfig config, AgentDefinition definition)
    {
        var field = RosterField(config);
        var entries = config.PredefinedAgents.Count + (config.Coordinator && config.Advisor is not null ? 1 : 0);
        if (entries > MultiagentConfig.MaxPredefinedAgents || (config.Coordinator && entries == 0))
        {
            return LucidError.Invalid(field, config.Coordinator
                ? $"A coordinator's agents are 1–{MultiagentConfig.MaxPredefinedAgents} entries; got {entries}."
                : $"At most {MultiagentConfig.MaxPredefinedAgents} predefined agents are allowed; got {entries}.");
        }

        if (!config.Coordinator && config.Subagents && !config.InlineAgents && config.PredefinedAgents.Count == 0)
        {
            return LucidError.Invalid(field, "With inline_agents disabled, predefined_agents must name at least one agent, or the agent could spawn no thread.");
        }

        if (config.Advisor is not null && definition.Tools.OfType<CustomToolDefinition>().FirstOrDefault(t => t.Name == Threads.AdvisorTool.ToolName) is { } shadow)
        {
            return LucidError.Invalid(
                $"tools[{definition.Tools.ToList().IndexOf(shadow)}].name",
                $"The tool name '{shadow.Name}' is the advisor's tool, which an agent with an advisor is offered; rename the custom tool.");
        }

        return null;
    }

    private static string RosterField(MultiagentConfig config) => config.Coordinator ? "multiagent.agents" : "multiagent.subagents.predefined_agents";

    // A coordinator's agents were given with its advisor entry among them: an agent's position counts the advisor before it.
    private static int PositionOf(MultiagentConfig config, int index) =>
        config.AdvisorPosition is { } advisor && advisor <= index ? index + 1 : index;
}
