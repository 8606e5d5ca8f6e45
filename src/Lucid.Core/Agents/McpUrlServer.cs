namespace Lucid.Agents;

/// <summary>An MCP server reached over HTTP: streamable HTTP, or server-sent events for older servers.</summary>
public sealed record McpUrlServer : McpServer
{
    /// <summary>The wire type name.</summary>
    public const string TypeName = "url";

    /// <summary>The server's endpoint, an absolute <c>http</c> or <c>https</c> URL.</summary>
    public required string Url { get; init; }
}
