using System.Text.Json.Nodes;
using Lucid.Agents;
using Lucid.Server.Http;

namespace Lucid.Server.Agents;

/// <summary>What the built-in toolset and an MCP toolset share on the wire: <c>default_config</c> and per-tool <c>configs</c>.</summary>
internal static class ToolsetWire
{
    /// <summary>Reads <c>default_config</c> and <c>configs</c>; <paramref name="checkName"/> throws for a name the set cannot have.</summary>
    public static (ToolsetDefaultConfig Defaults, List<ToolConfig> Configs) Read(WireObject tool, PermissionPolicy defaultPolicy, Action<string, string> checkName)
    {
        var defaults = tool.Object("default_config");
        var configs = new List<ToolConfig>();
        foreach (var (item, path) in tool.Array("configs"))
        {
            var config = new WireObject(item, path);
            var name = config.RequiredString("name");
            checkName(name, config.PathOf("name"));
            configs.Add(new ToolConfig { Name = name, Enabled = config.Bool("enabled"), PermissionPolicy = Policy(config) });
        }

        return (new ToolsetDefaultConfig
        {
            Enabled = defaults?.Bool("enabled") ?? true,
            PermissionPolicy = (defaults is { } d ? Policy(d) : null) ?? defaultPolicy,
        }, configs);
    }

    /// <summary>The resolved default configuration.</summary>
    public static JsonObject DefaultJson(Toolset toolset) => new()
    {
        ["enabled"] = toolset.DefaultConfig.Enabled,
        ["permission_policy"] = PolicyJson(toolset.DefaultConfig.PermissionPolicy),
    };

    /// <summary>One tool's resolved configuration.</summary>
    public static JsonObject ConfigJson(Toolset toolset, string name)
    {
        var (enabled, policy) = toolset.Resolve(name);
        return new JsonObject { ["name"] = name, ["enabled"] = enabled, ["permission_policy"] = PolicyJson(policy) };
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
            "auto" => PermissionPolicy.Auto,
            _ => throw RequestException.Invalid(policy.PathOf("type"), $"Permission policy '{type}' is not supported; use always_allow, always_ask or auto."),
        };
    }

    private static JsonObject PolicyJson(PermissionPolicy policy) => new()
    {
        ["type"] = policy switch
        {
            PermissionPolicy.AlwaysAsk => "always_ask",
            PermissionPolicy.Auto => "auto",
            _ => "always_allow",
        },
    };
}
