using System.Text.Json;

namespace Lucid.Mcp;

/// <summary>One open connection to an MCP server.</summary>
public interface IMcpConnection : IAsyncDisposable
{
    /// <summary>Every tool the server offers (all pages).</summary>
    Task<IReadOnlyList<McpToolInfo>> ListToolsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Calls a tool. A tool's own failure is a result with <see cref="McpCallResult.IsError"/>; a protocol error (an
    /// unknown tool, invalid arguments) throws <see cref="McpCallException"/>; a broken connection throws anything else.
    /// </summary>
    Task<McpCallResult> CallToolAsync(string tool, JsonElement arguments, CancellationToken cancellationToken);
}
