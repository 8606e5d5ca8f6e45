namespace Lucid.Mcp;

/// <summary>A server speaking MCP over a process's standard streams (a stdio server Lucid started in the sandbox).</summary>
/// <param name="ServerName">The server's name.</param>
/// <param name="ToServer">The process's standard input.</param>
/// <param name="FromServer">The process's standard output.</param>
public sealed record McpStreamEndpoint(string ServerName, Stream ToServer, Stream FromServer) : McpEndpoint(ServerName);
