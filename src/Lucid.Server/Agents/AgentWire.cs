using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Agents;
using Lucid.Models;
using Lucid.Server.Http;
using Lucid.Storage;
using Lucid.Tools;

namespace Lucid.Server.Agents;

/// <summary>The API's agent JSON (<c>BetaManagedAgentsAgent</c>) and the create/update request bodies, mapped to and from <see cref="Agent"/>.</summary>
internal static class AgentWire
{
    private const int MaxNameLength = 256;
    private const int MaxDescriptionLength = 2048;
    private const int MaxSystemLength = 100_000;

    public static JsonObject ToJson(Agent agent)
    {
        var json = Definition(agent);
        json["multiagent"] = MultiagentWire.AgentJson(agent);
        json["metadata"] = Wire.Map(agent.Metadata);
        json["created_at"] = Wire.Time(agent.CreatedAt);
        json["updated_at"] = Wire.Time(agent.UpdatedAt);
        json["archived_at"] = Wire.Time(agent.ArchivedAt);
        return json;
    }

    /// <summary>
    /// The agent as a session shows it (<c>BetaManagedAgentsSessionAgent</c>): its definition at the pinned version, with
    /// the full definition of every predefined agent of its <c>multiagent</c> configuration.
    /// </summary>
    public static async Task<JsonObject> SessionAgentAsync(ILucidStore store, Agent agent, CancellationToken cancellationToken)
    {
        var json = Definition(agent);
        if (agent.Multiagent is not { } config)
        {
            return json;
        }

        var roster = (await config.LoadRosterAsync(store, agent, cancellationToken)).Select(m => ThreadAgent(m, inline: false)).ToList();
        json["multiagent"] = MultiagentWire.SessionJson(config, roster);
        return json;
    }

    /// <summary>The agent a thread runs (<c>BetaManagedAgentsSessionThreadAgent</c>, or <c>BetaManagedAgentsInlineAgent</c> when defined inline).</summary>
    public static JsonObject ThreadAgent(Agent agent, bool inline)
    {
        var json = Definition(agent);
        json.Remove("multiagent");
        if (inline)
        {
            json["type"] = "inline";
            json.Remove("id");
            json.Remove("version");
        }

        return json;
    }

    private static JsonObject Definition(Agent agent)
    {
        var json = Fields(agent);
        if (McpWire.StdioServersJson(agent.McpServers) is { } stdio)
        {
            json["stdio_mcp_servers"] = stdio;
        }

        return json;
    }

    private static JsonObject Fields(Agent agent) => new()
    {
        ["type"] = "agent",
        ["id"] = agent.Id,
        ["version"] = agent.Version,
        ["name"] = agent.Name,
        ["description"] = agent.Description,
        ["system"] = agent.System,
        ["model"] = ModelJson(agent),
        ["tools"] = new JsonArray([.. agent.Tools.Select(ToolJson)]),
        ["mcp_servers"] = McpWire.UrlServersJson(agent.McpServers),
        ["skills"] = new JsonArray([.. agent.Skills.Select(s => (JsonNode)new JsonObject { ["type"] = "custom", ["skill_id"] = s.SkillId, ["version"] = s.VersionId })]),
        ["multiagent"] = null,
        ["execution_identity"] = new JsonObject { ["type"] = "service_account" },
    };

    /// <summary>Reads a create request.</summary>
    public static AgentDefinition ReadCreate(WireObject body) =>
        new()
        {
            Name = body.RequiredString("name", MaxNameLength),
            Model = Model(body) ?? throw RequestException.Invalid("model", "model is required, e.g. \"claude-sonnet-4-5\", \"openai/gpt-4.1\" or {\"id\": \"ollama/qwen3\"}."),
            Effort = Effort(body, null),
            Description = body.String("description", MaxDescriptionLength),
            System = body.String("system", MaxSystemLength),
            Tools = Tools(body),
            McpServers = McpWire.ReadServers(body),
            Multiagent = MultiagentWire.Read(body, null),
            Skills = Skills(body),
            Metadata = body.StringMap("metadata") ?? new Dictionary<string, string>(),
        };

    /// <summary>Reads an update request over the current version: omitted fields are kept, metadata is a patch.</summary>
    public static (AgentDefinition Definition, int? ExpectedVersion) ReadUpdate(WireObject body, Agent current)
    {
        if (body.IsNull("name") || body.IsNull("model"))
        {
            throw RequestException.Invalid(body.IsNull("name") ? "name" : "model", "name and model cannot be cleared.");
        }

        var definition = new AgentDefinition
        {
            Name = body.String("name", MaxNameLength) ?? current.Name,
            Model = Model(body) ?? current.Model,
            Effort = Effort(body, current.Effort),
            Description = body.Has("description") ? Blank(body.String("description", MaxDescriptionLength)) : current.Description,
            System = body.Has("system") ? Blank(body.String("system", MaxSystemLength)) : current.System,
            Tools = body.Has("tools") ? Tools(body) : current.Tools,
            McpServers = body.Has("mcp_servers") ? McpWire.ReadServers(body) : current.McpServers,
            Multiagent = MultiagentWire.Read(body, current.Multiagent),
            Skills = body.Has("skills") ? Skills(body) : [.. current.Skills.Select(s => new SkillReference(s.SkillId, s.VersionId))],
            Metadata = Wire.Patch(current.Metadata, body.StringMapPatch("metadata")),
        };
        return (definition, body.Int("version", 1, int.MaxValue));
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    // Reads skills: custom skills by ID with an optional version. Anthropic's pre-built skills live in Anthropic's cloud.
    private static List<SkillReference> Skills(WireObject body)
    {
        var skills = new List<SkillReference>();
        foreach (var (item, path) in body.Array("skills"))
        {
            var skill = new WireObject(item, path);
            switch (skill.RequiredString("type"))
            {
                case "custom":
                    skills.Add(new SkillReference(skill.RequiredString("skill_id", 128), skill.String("version", 128)));
                    break;
                case "anthropic":
                    throw RequestException.Invalid(skill.PathOf("type"),
                        $"Anthropic's pre-built skills ('{skill.String("skill_id", 128)}') are not available on a self-hosted Lucid server; upload the skill's folder to /v1/skills and use {{\"type\": \"custom\", \"skill_id\": \"skill_…\"}}.");
                case var other:
                    throw RequestException.Invalid(skill.PathOf("type"), $"A skill's type is custom (or anthropic, which Lucid does not serve); not '{other}'.");
            }
        }

        return skills;
    }

    private static string? Model(WireObject body)
    {
        if (!body.TryGet("model", out var model))
        {
            return null;
        }

        var id = model.ValueKind == JsonValueKind.String ? model.GetString() : new WireObject(model, "model").String("id", 256);
        return string.IsNullOrWhiteSpace(id) ? throw RequestException.Invalid("model", "model must name a model.") : id;
    }

    // The model as the API shows it: effort as {"type": level}, left out while the provider's default applies.
    private static JsonObject ModelJson(Agent agent)
    {
        var json = new JsonObject { ["id"] = agent.Model };
        if (agent.Effort is { } effort)
        {
            json["effort"] = new JsonObject { ["type"] = EffortOptions.Name(effort) };
        }

        return json;
    }

    // model.effort, a level or {"type": level}: omitted keeps the stored level (none on create), null clears it.
    private static ModelEffort? Effort(WireObject body, ModelEffort? current)
    {
        if (!body.TryGet("model", out var model) || model.ValueKind != JsonValueKind.Object)
        {
            return current;
        }

        var config = new WireObject(model, "model");
        if (!config.Has("effort"))
        {
            return current;
        }

        if (config.IsNull("effort"))
        {
            return null;
        }

        var (name, path) = config.TryGet("effort", out var effort) && effort.ValueKind == JsonValueKind.Object
            ? (new WireObject(effort, config.PathOf("effort")).RequiredString("type", 16), $"{config.PathOf("effort")}.type")
            : (config.String("effort", 16) ?? "", config.PathOf("effort"));
        return EffortOptions.Parse(name) ?? throw RequestException.Invalid(path, $"effort must be one of {string.Join(", ", EffortOptions.Names)}; not '{name}'.");
    }

    private static List<AgentTool> Tools(WireObject body)
    {
        var tools = new List<AgentTool>();
        var items = body.Array("tools", 256);
        var customTools = items.Select(e => new WireObject(e.Item, e.Path)).Where(t => t.String("type") == CustomToolDefinition.TypeName).Select(t => t.String("name") ?? "").ToHashSet(StringComparer.Ordinal);
        foreach (var (item, path) in items)
        {
            var tool = new WireObject(item, path);
            var type = tool.RequiredString("type");
            tools.Add(type switch
            {
                AgentToolset.TypeName => Toolset(tool, customTools),
                CustomToolDefinition.TypeName => new CustomToolDefinition
                {
                    Name = tool.RequiredString("name", 128),
                    Description = tool.RequiredString("description", 10_000),
                    InputSchema = tool.RequiredObject("input_schema").Element.Clone(),
                },
                McpToolset.TypeName => McpWire.ReadToolset(tool),
                _ => throw RequestException.Invalid($"{path}.type", $"Tool type '{type}' is not supported; use {AgentToolset.TypeName}, {McpToolset.TypeName} or custom."),
            });
        }

        return tools;
    }

    private static AgentToolset Toolset(WireObject tool, IReadOnlySet<string> customTools)
    {
        var (defaults, configs) = ToolsetWire.Read(tool, PermissionPolicy.AlwaysAllow, static (name, path) =>
        {
            if (!BuiltInTools.Names.Contains(name))
            {
                throw RequestException.Invalid(path, $"'{name}' is not a built-in tool of this Lucid version; known: {string.Join(", ", BuiltInTools.Names)}.");
            }
        });

        // web_fetch's own fields; the configs come in the order ToolsetWire read them.
        var wire = tool.Array("configs");
        return new AgentToolset
        {
            DefaultConfig = defaults,
            Configs = [.. configs.Select((c, i) => c.Name == "web_fetch" ? c with { WebFetch = WebFetchWire.Read(new WireObject(wire[i].Item, wire[i].Path), customTools) } : c)],
        };
    }

    private static JsonNode ToolJson(AgentTool tool) => tool switch
    {
        AgentToolset toolset => new JsonObject
        {
            ["type"] = AgentToolset.TypeName,
            ["default_config"] = ToolsetWire.DefaultJson(toolset),
            ["configs"] = new JsonArray([.. BuiltInTools.Names.Select(name =>
            {
                var config = ToolsetWire.ConfigJson(toolset, name);
                config["type"] = name;
                WebFetchWire.Write(config, toolset.Configs.FirstOrDefault(c => c.Name == name)?.WebFetch);
                return (JsonNode)config;
            })]),
        },
        McpToolset mcp => McpWire.ToolsetJson(mcp),
        CustomToolDefinition custom => new JsonObject
        {
            ["type"] = CustomToolDefinition.TypeName,
            ["name"] = custom.Name,
            ["description"] = custom.Description,
            ["input_schema"] = JsonNode.Parse(custom.InputSchema.GetRawText()),
        },
        _ => throw new InvalidOperationException($"No wire shape for tool {tool.GetType().Name}."),
    };
}
