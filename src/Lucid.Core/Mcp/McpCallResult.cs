using Lucid.Events;

namespace Lucid.Mcp;

/// <summary>What an MCP tool call returned, as the content blocks an <c>agent.mcp_tool_result</c> carries.</summary>
/// <param name="Content">Text and image blocks.</param>
/// <param name="IsError">Whether the call failed.</param>
public sealed record McpCallResult(IReadOnlyList<ContentBlock> Content, bool IsError)
{
    /// <summary>A failed call with a message the agent can act on.</summary>
    public static McpCallResult Fail(string message) => new([new TextBlock(message)], true);
}
