namespace Lucid.Mcp;

/// <summary>Where an MCP server is reached: an HTTP URL, or the standard streams of a process Lucid started.</summary>
/// <param name="ServerName">The server's name in the agent's <c>mcp_servers</c>, for logs and errors.</param>
public abstract record McpEndpoint(string ServerName);
