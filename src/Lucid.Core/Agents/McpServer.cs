using System.Text.Json.Serialization;

namespace Lucid.Agents;

/// <summary>An MCP server an agent connects to; its tools are offered through an <see cref="McpToolset"/>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(McpUrlServer), McpUrlServer.TypeName)]
[JsonDerivedType(typeof(McpStdioServer), McpStdioServer.TypeName)]
public abstract record McpServer
{
    /// <summary>At most this many servers on an agent.</summary>
    public const int MaxPerAgent = 20;

    /// <summary>Names are at most this long.</summary>
    public const int MaxNameLength = 255;

    /// <summary>The server's name, unique within the agent (1–255 characters).</summary>
    public required string Name { get; init; }
}
