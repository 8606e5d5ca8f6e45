using System.Text.Json;

namespace Lucid.Permissions;

/// <summary>What a reviewer is shown of a tool call under the <c>auto</c> policy: never the agent's reasoning or other calls.</summary>
/// <param name="ToolName">The tool's name (on its server, for an MCP tool).</param>
/// <param name="McpServerName">The MCP server the tool belongs to, or null for a built-in tool.</param>
/// <param name="Input">The call's input.</param>
/// <param name="SystemPrompt">The agent's system prompt (its instructions and policy), or null.</param>
/// <param name="Task">What the agent was asked to do: the user's messages and outcome descriptions, in order.</param>
internal sealed record ToolCallReview(string ToolName, string? McpServerName, JsonElement Input, string? SystemPrompt, IReadOnlyList<string> Task);
