using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Agents;
using Lucid.Server.Http;

namespace Lucid.Server.Agents;

/// <summary>
/// An agent's <c>mcp_servers</c> (<c>BetaManagedAgentsMcpServerUrlDefinition</c>; requests may also declare Lucid's
/// <c>stdio</c> servers there, which responses list apart in <c>stdio_mcp_servers</c>) and
/// its <c>mcp_toolset</c> tools (<c>BetaManagedAgentsMcpToolset</c>) on the wire.
/// </summary>
internal static class McpWire
{
    private const int MaxUrlLength = 2048;

    /// <summary>Reads <c>mcp_servers</c>; null or an empty list means none.</summary>
    public static List<McpServer> ReadServers(WireObject body) =>
        [.. body.Array("mcp_servers", McpServer.MaxPerAgent).Select(e => ReadServer(new WireObject(e.Item, e.Path)))];

    /// <summary>Reads an <c>mcp_toolset</c> tool. Its tools are <c>always_ask</c> unless its <c>default_config</c> says otherwise.</summary>
    public static McpToolset ReadToolset(WireObject tool)
    {
        var (defaults, configs) = ToolsetWire.Read(tool, PermissionPolicy.AlwaysAsk, static (_, _) => { });
        return new McpToolset { McpServerName = tool.RequiredString("mcp_server_name", McpServer.MaxNameLength), DefaultConfig = defaults, Configs = configs };
    }

    /// <summary>The URL servers, as the API's <c>mcp_servers</c>.</summary>
    public static JsonArray UrlServersJson(IEnumerable<McpServer> servers) =>
        new([.. servers.OfType<McpUrlServer>().Select(url => (JsonNode)new JsonObject { ["type"] = McpUrlServer.TypeName, ["name"] = url.Name, ["url"] = url.Url })]);

    /// <summary>
    /// The stdio servers, in Lucid's own <c>stdio_mcp_servers</c>: the SDK validates every entry of <c>mcp_servers</c> in a
    /// response as a URL server, so a stdio server there would make it refuse the whole agent. Null when there are none.
    /// </summary>
    public static JsonArray? StdioServersJson(IEnumerable<McpServer> servers)
    {
        var stdio = servers.OfType<McpStdioServer>().ToList();
        return stdio.Count == 0 ? null : new([.. stdio.Select(s => (JsonNode)new JsonObject
        {
            ["type"] = McpStdioServer.TypeName,
            ["name"] = s.Name,
            ["command"] = s.Command,
            ["args"] = new JsonArray([.. s.Args.Select(a => (JsonNode?)a)]),
            ["env"] = Wire.Map(s.Env),
        })]);
    }

    public static JsonObject ToolsetJson(McpToolset toolset) => new()
    {
        ["type"] = McpToolset.TypeName,
        ["mcp_server_name"] = toolset.McpServerName,
        ["default_config"] = ToolsetWire.DefaultJson(toolset),
        ["configs"] = new JsonArray([.. toolset.Configs.Select(c => (JsonNode)ToolsetWire.ConfigJson(toolset, c.Name))]),
    };

    private static McpServer ReadServer(WireObject server)
    {
        var type = server.RequiredString("type");
        var name = server.RequiredString("name", McpServer.MaxNameLength);
        return type switch
        {
            McpUrlServer.TypeName => new McpUrlServer { Name = name, Url = server.RequiredString("url", MaxUrlLength) },
            McpStdioServer.TypeName => new McpStdioServer
            {
                Name = name,
                Command = server.RequiredString("command", 4096),
                Args = [.. server.Array("args", 256).Select(a => a.Item.ValueKind == JsonValueKind.String
                    ? a.Item.GetString() ?? ""
                    : throw RequestException.Invalid(a.Path, $"{a.Path} must be a string, not {WireObject.Describe(a.Item)}."))],
                Env = server.StringMap("env") ?? new Dictionary<string, string>(),
            },
            _ => throw RequestException.Invalid(server.PathOf("type"), $"MCP server type '{type}' is not supported; use url (or stdio, a Lucid extension)."),
        };
    }
}
