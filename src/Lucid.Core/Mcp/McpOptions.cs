namespace Lucid.Mcp;

/// <summary>How sessions use their agents' MCP servers.</summary>
public sealed record McpOptions
{
    /// <summary>How long connecting to a server (the handshake included) may take. Defaults to 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long listing a server's tools may take. Defaults to 10 s.</summary>
    public TimeSpan ListTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one tool call may take before it is answered with a timeout error. Defaults to 2 minutes.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The wait before reconnecting after the first failure; it doubles with each failure in a row. Defaults to 1 s.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnection attempts. Defaults to 1 minute.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(1);
}
