using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Agents;
using Lucid.Server.Http;

namespace Lucid.Server.Agents;

/// <summary>
/// An agent's <c>multiagent</c> on the wire: <c>multiagent_20261001</c> (<c>subagents</c>, <c>workflows</c>,
/// <c>advisor</c>) or <c>coordinator</c> (<c>agents</c>), read from create and update requests and written as an agent
/// and a session show it.
/// </summary>
internal static class MultiagentWire
{
    /// <summary>The configuration as an agent shows it: predefined agents as <c>{type: agent, id, version}</c> references.</summary>
    public static JsonObject? AgentJson(Agent agent) =>
        agent.Multiagent is { } config
            ? Json(config, [.. config.PredefinedAgents.Select(e => (JsonNode)new JsonObject
            {
                ["type"] = "agent",
                ["id"] = e.AgentId ?? agent.Id,
                ["version"] = e.IsSelf ? agent.Version : e.Version,
            })])
            : null;

    /// <summary>The configuration as a session shows it: the full definition of each predefined agent.</summary>
    public static JsonObject SessionJson(MultiagentConfig config, IReadOnlyList<JsonObject> roster) => Json(config, roster);

    private static JsonObject Json(MultiagentConfig config, IReadOnlyList<JsonNode> predefinedAgents)
    {
        var advisor = config.Advisor is { } model ? new JsonObject { ["type"] = "advisor", ["model"] = model } : null;
        if (config.Coordinator)
        {
            var agents = new List<JsonNode>(predefinedAgents);
            if (advisor is not null)
            {
                agents.Insert(Math.Min(config.AdvisorPosition ?? agents.Count, agents.Count), advisor);
            }

            return new JsonObject { ["type"] = MultiagentConfig.CoordinatorTypeName, ["agents"] = new JsonArray([.. agents]) };
        }

        return new JsonObject
        {
            ["type"] = MultiagentConfig.TypeName,
            ["subagents"] = config.Subagents
                ? new JsonObject
                {
                    ["type"] = "enabled",
                    ["inline_agents"] = new JsonObject { ["type"] = config.InlineAgents ? "enabled" : "disabled" },
                    ["predefined_agents"] = new JsonArray([.. predefinedAgents]),
                }
                : new JsonObject { ["type"] = "disabled" },
            ["workflows"] = new JsonObject { ["type"] = "disabled" },
            ["advisor"] = config.Advisor is { } advisorModel ? new JsonObject { ["type"] = "enabled", ["model"] = advisorModel } : new JsonObject { ["type"] = "disabled" },
        };
    }

    /// <summary>
    /// Reads <c>multiagent</c> from a create (<paramref name="current"/> null) or update request. A coordinator replaces
    /// whatever is stored. <c>multiagent_20261001</c> merges into a stored configuration of the same type level by level,
    /// as the API does: an omitted key keeps its stored value, a null key takes its default, an object of another type
    /// replaces the stored one, and a <c>predefined_agents</c> list that is sent replaces the stored list.
    /// </summary>
    public static MultiagentConfig? Read(WireObject body, MultiagentConfig? current)
    {
        if (!body.Has("multiagent"))
        {
            return current;
        }

        if (body.IsNull("multiagent"))
        {
            return null;
        }

        var multiagent = body.RequiredObject("multiagent");
        return multiagent.RequiredString("type") switch
        {
            MultiagentConfig.TypeName => Read20261001(multiagent, current is { Coordinator: false } stored ? stored : new MultiagentConfig()),
            MultiagentConfig.CoordinatorTypeName => ReadCoordinator(multiagent),
            var type => throw RequestException.Invalid(
                multiagent.PathOf("type"), $"multiagent type '{type}' is not supported; use {MultiagentConfig.TypeName} or {MultiagentConfig.CoordinatorTypeName}."),
        };
    }

    private static MultiagentConfig Read20261001(WireObject multiagent, MultiagentConfig stored)
    {
        if (multiagent.Object("workflows") is { } workflows && workflows.RequiredString("type") == "enabled")
        {
            throw RequestException.Invalid(
                workflows.PathOf("type"),
                "multiagent.workflows is not supported by Lucid: a workflow run follows a plan, a program the agent writes, whose language and tools the API does not document; send {\"type\": \"disabled\"} or omit it.");
        }

        var advisor = !multiagent.Has("advisor") ? stored.Advisor
            : multiagent.Object("advisor") is not { } config ? null
            : config.RequiredString("type") switch
            {
                "enabled" => config.RequiredString("model", 256),
                "disabled" => null,
                var other => throw RequestException.Invalid(config.PathOf("type"), $"advisor type must be enabled or disabled, not '{other}'."),
            };
        return ReadSubagents(multiagent, stored) with { Advisor = advisor };
    }

    private static MultiagentConfig ReadSubagents(WireObject multiagent, MultiagentConfig merged)
    {
        if (!multiagent.Has("subagents"))
        {
            return merged;
        }

        if (multiagent.IsNull("subagents"))
        {
            return new MultiagentConfig();
        }

        var subagents = multiagent.RequiredObject("subagents");
        switch (subagents.RequiredString("type"))
        {
            case "disabled":
                return merged with { Subagents = false };
            case "enabled":
                var stored = merged.Subagents ? merged : new MultiagentConfig();
                return new MultiagentConfig
                {
                    Subagents = true,
                    InlineAgents = !subagents.Has("inline_agents") ? stored.InlineAgents
                        : subagents.Object("inline_agents") is not { } inline || inline.RequiredString("type") switch
                        {
                            "enabled" => true,
                            "disabled" => false,
                            var other => throw RequestException.Invalid(inline.PathOf("type"), $"inline_agents type must be enabled or disabled, not '{other}'."),
                        },
                    PredefinedAgents = subagents.Has("predefined_agents")
                        ? [.. subagents.Array("predefined_agents").Select(e => RosterEntryOf(e.Item, e.Path))]
                        : stored.PredefinedAgents,
                };
            case var other:
                throw RequestException.Invalid(subagents.PathOf("type"), $"subagents type must be enabled or disabled, not '{other}'.");
        }
    }

    // A coordinator runs its agents as sub-agents without inline agents; its one advisor entry, if any, is its advisor.
    private static MultiagentConfig ReadCoordinator(WireObject multiagent)
    {
        if (!multiagent.Has("agents"))
        {
            throw RequestException.Invalid(multiagent.PathOf("agents"), "multiagent.agents is required: the 1–20 agents the coordinator may spawn as session threads.");
        }

        var agents = new List<RosterEntry>();
        (string Model, int Position)? advisor = null;
        var items = multiagent.Array("agents");
        for (var i = 0; i < items.Count; i++)
        {
            var (item, path) = items[i];
            if (item.ValueKind == JsonValueKind.Object && new WireObject(item, path) is var entry && entry.String("type") == "advisor")
            {
                advisor = advisor is null
                    ? (entry.RequiredString("model", 256), i)
                    : throw RequestException.Invalid(path, "A coordinator's agents may include at most one advisor.");
                continue;
            }

            agents.Add(RosterEntryOf(item, path));
        }

        return new MultiagentConfig
        {
            Coordinator = true,
            Subagents = agents.Count > 0,
            InlineAgents = false,
            PredefinedAgents = agents,
            Advisor = advisor?.Model,
            AdvisorPosition = advisor?.Position,
        };
    }

    private static RosterEntry RosterEntryOf(JsonElement item, string path)
    {
        if (item.ValueKind == JsonValueKind.String)
        {
            return new RosterEntry(Requests.Id(item.GetString() ?? "", Ids.IdPrefixes.Agent, path));
        }

        var entry = new WireObject(item, path);
        return entry.RequiredString("type") switch
        {
            "self" => RosterEntry.Self,
            "agent" => new RosterEntry(Requests.Id(entry.RequiredString("id", 128), Ids.IdPrefixes.Agent, entry.PathOf("id")), entry.Int("version", 1, int.MaxValue)),
            var other => throw RequestException.Invalid(entry.PathOf("type"), $"A predefined agent is an agent ID, {{\"type\": \"agent\", \"id\": …}} or {{\"type\": \"self\"}}; not '{other}'."),
        };
    }
}
