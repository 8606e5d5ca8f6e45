using Lucid.Results;
using Lucid.Validation;

namespace Lucid.Agents;

/// <summary>
/// The documented rules for an agent's <c>mcp_servers</c> and its <c>mcp_toolset</c> tools: at most 20 servers, names
/// unique, every server used by exactly one toolset and every toolset naming a declared server, URLs absolute
/// <c>http</c> or <c>https</c>.
/// </summary>
internal static class McpServerRules
{
    /// <summary>The first broken rule, or null.</summary>
    public static LucidError? Check(AgentDefinition d)
    {
        if (d.McpServers.Count > McpServer.MaxPerAgent)
        {
            return LucidError.Invalid("mcp_servers", $"An agent may have at most {McpServer.MaxPerAgent} MCP servers; got {d.McpServers.Count}.");
        }

        var declared = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < d.McpServers.Count; i++)
        {
            if (Server(d.McpServers[i], $"mcp_servers[{i}]", declared) is { } error)
            {
                return error;
            }
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < d.Tools.Count; i++)
        {
            switch (d.Tools[i])
            {
                case McpToolset toolset when !declared.Contains(toolset.McpServerName):
                    return LucidError.Invalid($"tools[{i}].mcp_server_name",
                        $"'{toolset.McpServerName}' is not a server of this agent's mcp_servers; declared: {(declared.Count == 0 ? "none" : string.Join(", ", declared))}.");
                case McpToolset toolset when !used.Add(toolset.McpServerName):
                    return LucidError.Invalid($"tools[{i}].mcp_server_name", $"The MCP server '{toolset.McpServerName}' has more than one mcp_toolset; give it one.");
                case McpToolset toolset:
                    for (var c = 0; c < toolset.Configs.Count; c++)
                    {
                        if (Rules.ToolName(toolset.Configs[c].Name, $"tools[{i}].configs[{c}].name") is { } nameError)
                        {
                            return nameError;
                        }
                    }

                    break;
                case CustomToolDefinition custom when declared.Count > 0 && custom.Name.StartsWith(Mcp.McpToolNames.Prefix, StringComparison.Ordinal):
                    return LucidError.Invalid($"tools[{i}].name", $"Custom tool names starting with '{Mcp.McpToolNames.Prefix}' are reserved for MCP tools on an agent with MCP servers; rename '{custom.Name}'.");
            }
        }

        var unused = d.McpServers.Select((s, i) => (s.Name, i)).FirstOrDefault(s => !used.Contains(s.Name));
        return unused.Name is null ? null
            : LucidError.Invalid($"mcp_servers[{unused.i}]", $"The MCP server '{unused.Name}' is used by no mcp_toolset in tools; add {{\"type\": \"mcp_toolset\", \"mcp_server_name\": \"{unused.Name}\"}} or remove the server.");
    }

    private static LucidError? Server(McpServer server, string path, HashSet<string> declared)
    {
        if (string.IsNullOrWhiteSpace(server.Name) || server.Name.Length > McpServer.MaxNameLength)
        {
            return LucidError.Invalid($"{path}.name", $"An MCP server's name must be 1 to {McpServer.MaxNameLength} characters and not blank.");
        }

        if (!declared.Add(server.Name))
        {
            return LucidError.Invalid($"{path}.name", $"The MCP server name '{server.Name}' is used more than once; names must be unique.");
        }

        return server switch
        {
            McpUrlServer url when !Uri.TryCreate(url.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) =>
                LucidError.Invalid($"{path}.url", $"'{url.Url}' is not an absolute http or https URL."),
            McpStdioServer stdio when string.IsNullOrWhiteSpace(stdio.Command) =>
                LucidError.Invalid($"{path}.command", "A stdio MCP server needs a command to run."),
            McpStdioServer stdio when stdio.Env.Keys.FirstOrDefault(k => k.Length == 0 || k.Contains('=', StringComparison.Ordinal) || k.Contains('\0', StringComparison.Ordinal)) is { } key =>
                LucidError.Invalid($"{path}.env", $"'{key}' is not an environment variable name."),
            _ => null,
        };
    }
}
