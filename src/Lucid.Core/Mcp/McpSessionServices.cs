using Microsoft.Extensions.Logging;

namespace Lucid.Mcp;

/// <summary>What a session's MCP connections use: the client library, settings, clock, logs, and the session's sandbox.</summary>
/// <param name="Connector">The MCP client, or null when the host has none.</param>
/// <param name="Options">Timeouts and backoff.</param>
/// <param name="Time">The clock.</param>
/// <param name="Log">Where connection failures and stdio servers' stderr are logged.</param>
/// <param name="Sandbox">The session's sandbox, for stdio servers.</param>
/// <param name="WorkDirectory">The session's work directory (made on first use).</param>
/// <param name="Headers">The headers for a URL server, from the session's vaults (none without a credential), or why a credential cannot be used.</param>
internal sealed record McpSessionServices(
    IMcpConnector? Connector,
    McpOptions Options,
    TimeProvider Time,
    ILogger Log,
    Func<CancellationToken, Task<Sandboxing.SandboxOptions>> Sandbox,
    Func<string> WorkDirectory,
    Func<string, CancellationToken, Task<Results.Result<IReadOnlyDictionary<string, string>>>> Headers);
