using Microsoft.Extensions.Logging;

namespace Lucid.Mcp;

/// <summary>Log messages of sessions' MCP connections.</summary>
internal static partial class McpLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "MCP server {Server} (stderr): {Line}")]
    public static partial void ServerStderr(ILogger logger, string server, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP server {Server} could not be reached; next attempt in {Backoff}")]
    public static partial void ConnectFailed(ILogger logger, Exception exception, string server, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The connection to MCP server {Server} broke")]
    public static partial void ConnectionBroke(ILogger logger, Exception exception, string server);
}
