namespace Lucid.Mcp;

/// <summary>What a turn gets of its MCP servers: the tools it offers, the connections that call them, and the servers that could not be reached.</summary>
/// <param name="Toolbox">The session's MCP connections.</param>
/// <param name="Tools">The enabled tools of the servers that answered.</param>
/// <param name="Failures">Each server that could not be listed, with why, and whether its credential was the reason.</param>
internal sealed record McpTurnTools(McpToolbox Toolbox, IReadOnlyList<McpTool> Tools, IReadOnlyList<(string Server, string Error, bool Authentication)> Failures);
