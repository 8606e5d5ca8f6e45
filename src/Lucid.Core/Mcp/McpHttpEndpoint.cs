namespace Lucid.Mcp;

/// <summary>A server over HTTP: streamable HTTP, falling back to server-sent events for older servers.</summary>
/// <param name="ServerName">The server's name.</param>
/// <param name="Url">Its endpoint.</param>
public sealed record McpHttpEndpoint(string ServerName, Uri Url) : McpEndpoint(ServerName)
{
    /// <summary>Headers sent with every request, such as a credential's <c>Authorization</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>How long the first connection may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
