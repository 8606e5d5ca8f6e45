using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Agents;
using Lucid.Server.Http;
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
        json["metadata"] = Wire.Map(agent.Metadata);
        json["created_at"] = Wire.Time(agent.CreatedAt);
        json["updated_at"] = Wire.Time(agent.UpdatedAt);
        json["archived_at"] = Wire.Time(agent.ArchivedAt);
        return json;
    }

    /// <summary>The agent as a session shows it (<c>BetaManagedAgentsSessionAgent</c>): its definition, pinned version.</summary>
    public static JsonObject Definition(Agent agent) => new()
    {
        ["type"] = "agent",
        ["id"] = agent.Id,
        ["version"] = agent.Version,
        ["name"] = agent.Name,
        ["description"] = agent.Description,
        ["system"] = agent.System,
        ["model"] = new JsonObject { ["id"] = agent.Model },
        ["tools"] = new JsonArray([.. agent.Tools.Select(ToolJson)]),
        ["mcp_servers"] = new JsonArray(),
        ["skills"] = new JsonArray(),
        ["multiagent"] = null,
        ["execution_identity"] = new JsonObject { ["type"] = "service_account" },
    };

    /// <summary>Reads a create request.</summary>
    public static AgentDefinition ReadCreate(WireObject body)
    {
        RejectUnsupported(body);
        return new AgentDefinition
        {
            Name = body.RequiredString("name", MaxNameLength),
            Model = Model(body) ?? throw RequestException.Invalid("model", "model is required, e.g. \"claude-sonnet-4-5\", \"openai/gpt-4.1\" or {\"id\": \"ollama/qwen3\"}."),
            Description = body.String("description", MaxDescriptionLength),
            System = body.String("system", MaxSystemLength),
            Tools = Tools(body),
            Metadata = body.StringMap("metadata") ?? new Dictionary<string, string>(),
        };
    }

    /// <summary>Reads an update request over the current version: omitted fields are kept, metadata is a patch.</summary>
    public static (AgentDefinition Definition, int? ExpectedVersion) ReadUpdate(WireObject body, Agent current)
    {
        RejectUnsupported(body);
        if (body.IsNull("name") || body.IsNull("model"))
        {
            throw RequestException.Invalid(body.IsNull("name") ? "name" : "model", "name and model cannot be cleared.");
        }

        var definition = new AgentDefinition
        {
            Name = body.String("name", MaxNameLength) ?? current.Name,
            Model = Model(body) ?? current.Model,
            Description = body.Has("description") ? Blank(body.String("description", MaxDescriptionLength)) : current.Description,
            System = body.Has("system") ? Blank(body.String("system", MaxSystemLength)) : current.System,
            Tools = body.Has("tools") ? Tools(body) : current.Tools,
            Metadata = Wire.Patch(current.Metadata, body.StringMapPatch("metadata")),
        };
        return (definition, body.Int("version", 1, int.MaxValue));
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static void RejectUnsupported(WireObject body)
    {
        foreach (var field in new[] { "mcp_servers", "skills" })
        {
            if (body.Array(field).Count > 0)
            {
                throw RequestException.Invalid(field, $"{field} are not supported by this Lucid version; send an empty list or omit the field.");
            }
        }

        if (body.TryGet("multiagent", out _))
        {
            throw RequestException.Invalid("multiagent", "multiagent is not supported by this Lucid version yet; omit it or send null.");
        }
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

    private static List<AgentTool> Tools(WireObject body)
    {
        var tools = new List<AgentTool>();
        foreach (var (item, path) in body.Array("tools", 256))
        {
            var tool = new WireObject(item, path);
            var type = tool.RequiredString("type");
            tools.Add(type switch
            {
                AgentToolset.TypeName => Toolset(tool),
                CustomToolDefinition.TypeName => new CustomToolDefinition
                {
                    Name = tool.RequiredString("name", 128),
                    Description = tool.RequiredString("description", 10_000),
                    InputSchema = tool.RequiredObject("input_schema").Element.Clone(),
                },
                _ => throw RequestException.Invalid($"{path}.type", $"Tool type '{type}' is not supported; use {AgentToolset.TypeName} or custom."),
            });
        }

        return tools;
    }

    private static AgentToolset Toolset(WireObject tool)
    {
        var defaults = tool.Object("default_config");
        var configs = new List<ToolConfig>();
        foreach (var (item, path) in tool.Array("configs"))
        {
            var config = new WireObject(item, path);
            var name = config.RequiredString("name");
            if (BuiltInTools.All.All(t => t.Name != name))
            {
                throw RequestException.Invalid($"{path}.name", $"'{name}' is not a built-in tool of this Lucid version; known: {string.Join(", ", BuiltInTools.All.Select(t => t.Name))}.");
            }

            configs.Add(new ToolConfig { Name = name, Enabled = config.Bool("enabled"), PermissionPolicy = Policy(config) });
        }

        return new AgentToolset
        {
            DefaultConfig = new ToolsetDefaultConfig
            {
                Enabled = defaults?.Bool("enabled") ?? true,
                PermissionPolicy = (defaults is { } d ? Policy(d) : null) ?? PermissionPolicy.AlwaysAllow,
            },
            Configs = configs,
        };
    }

    private static PermissionPolicy? Policy(WireObject config)
    {
        if (config.Object("permission_policy") is not { } policy)
        {
            return null;
        }

        var type = policy.RequiredString("type");
        return type switch
        {
            "always_allow" => PermissionPolicy.AlwaysAllow,
            "always_ask" => PermissionPolicy.AlwaysAsk,
            _ => throw RequestException.Invalid(policy.PathOf("type"), $"Permission policy '{type}' is not supported; use always_allow or always_ask."),
        };
    }

    private static JsonNode ToolJson(AgentTool tool) => tool switch
    {
        AgentToolset toolset => new JsonObject
        {
            ["type"] = AgentToolset.TypeName,
            ["default_config"] = new JsonObject
            {
                ["enabled"] = toolset.DefaultConfig.Enabled,
                ["permission_policy"] = PolicyJson(toolset.DefaultConfig.PermissionPolicy),
            },
            ["configs"] = new JsonArray([.. BuiltInTools.All.Select(t =>
            {
                var (enabled, policy) = toolset.Resolve(t.Name);
                return (JsonNode)new JsonObject { ["name"] = t.Name, ["type"] = t.Name, ["enabled"] = enabled, ["permission_policy"] = PolicyJson(policy) };
            })]),
        },
        CustomToolDefinition custom => new JsonObject
        {
            ["type"] = CustomToolDefinition.TypeName,
            ["name"] = custom.Name,
            ["description"] = custom.Description,
            ["input_schema"] = JsonNode.Parse(custom.InputSchema.GetRawText()),
        },
        _ => throw new InvalidOperationException($"No wire shape for tool {tool.GetType().Name}."),
    };

    private static JsonObject PolicyJson(PermissionPolicy policy) =>
        new() { ["type"] = policy == PermissionPolicy.AlwaysAsk ? "always_ask" : "always_allow" };
}
