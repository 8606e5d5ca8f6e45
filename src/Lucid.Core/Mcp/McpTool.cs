using Lucid.Agents;

namespace Lucid.Mcp;

/// <summary>An MCP tool as a turn offers it: its server, its description on the server, and the policy it runs under.</summary>
/// <param name="ServerName">The server's name in the agent's <c>mcp_servers</c>.</param>
/// <param name="Info">The tool as the server lists it.</param>
/// <param name="Policy">The permission policy its toolset gives it.</param>
internal sealed record McpTool(string ServerName, McpToolInfo Info, PermissionPolicy Policy)
{
    /// <summary>The name the model calls it by.</summary>
    public string ModelName => McpToolNames.For(ServerName, Info.Name);
}
