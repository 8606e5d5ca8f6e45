namespace Lucid.Agents;

/// <summary>
/// The tools of one MCP server declared in the agent's <see cref="Agent.McpServers"/>, with per-tool overrides. Which
/// tools there are is known only once the server is reached, so a config may name a tool the server does not offer.
/// </summary>
public sealed record McpToolset : Toolset
{
    /// <summary>The wire type name.</summary>
    public const string TypeName = "mcp_toolset";

    /// <summary>The name of the server, as declared in <c>mcp_servers</c>.</summary>
    public required string McpServerName { get; init; }
}
