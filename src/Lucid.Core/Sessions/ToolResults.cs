using Lucid.Events;

namespace Lucid.Sessions;

/// <summary>The error results Lucid gives tool calls itself (refused, denied, cut off, interrupted), of the call's own kind.</summary>
internal static class ToolResults
{
    /// <summary>An error result for the call <paramref name="useId"/>: <c>agent.mcp_tool_result</c> for an MCP call, else <c>agent.tool_result</c>.</summary>
    public static SessionEvent Error(string useId, bool mcp, string message) => mcp
        ? new AgentMcpToolResultEvent { McpToolUseId = useId, Content = [new TextBlock(message)], IsError = true }
        : new AgentToolResultEvent { ToolUseId = useId, Content = [new TextBlock(message)], IsError = true };

    /// <summary>Whether an event is a tool call the model made (built-in, custom or MCP).</summary>
    public static bool IsToolUse(SessionEvent e) => e is AgentToolUseEvent or AgentCustomToolUseEvent or AgentMcpToolUseEvent;
}
