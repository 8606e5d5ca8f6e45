using System.Text.Json;

namespace Lucid.Events;

/// <summary>Text the agent produced.</summary>
public sealed record AgentMessageEvent : SessionEvent
{
    /// <summary>The message content.</summary>
    public required IReadOnlyList<ContentBlock> Content { get; init; }
}

/// <summary>The agent's reasoning, when the model exposes it.</summary>
public sealed record AgentThinkingEvent : SessionEvent
{
    /// <summary>The reasoning text, when the provider returns it in the clear.</summary>
    public string? Text { get; init; }
}

/// <summary>The agent calls a built-in tool.</summary>
public sealed record AgentToolUseEvent : SessionEvent
{
    /// <summary>The tool's name.</summary>
    public required string Name { get; init; }

    /// <summary>The tool's input.</summary>
    public required JsonElement Input { get; init; }

    /// <summary>The permission the policy gave: <c>allow</c>, <c>ask</c> or <c>deny</c>.</summary>
    public required string EvaluatedPermission { get; init; }

    /// <summary>Which policy gave it, with the reviewer's judgement under <c>auto</c>; null when no policy applied.</summary>
    public ToolEvaluation? Evaluation { get; init; }
}

/// <summary>The result of a built-in tool call.</summary>
public sealed record AgentToolResultEvent : SessionEvent
{
    /// <summary>The <c>agent.tool_use</c> event this answers.</summary>
    public required string ToolUseId { get; init; }

    /// <summary>The result content.</summary>
    public required IReadOnlyList<ContentBlock> Content { get; init; }

    /// <summary>Whether the call failed or was refused.</summary>
    public bool IsError { get; init; }
}

/// <summary>
/// The agent's context was compacted: the oldest messages it is sent were replaced by a summary, written by its model.
/// The log keeps every event the summary covers. <see cref="Summary"/> and <see cref="CompactedMessages"/> are Lucid's
/// additions to the API's event: with them the same context is rebuilt from the log after a restart.
/// </summary>
public sealed record AgentThreadContextCompactedEvent : SessionEvent
{
    /// <summary>The summary that stands for the compacted messages.</summary>
    public required string Summary { get; init; }

    /// <summary>How many of the oldest messages the summary replaces (those kept verbatim among them stay).</summary>
    public required int CompactedMessages { get; init; }

    /// <summary>The estimated tokens of the context before compaction.</summary>
    public int TokensBefore { get; init; }

    /// <summary>The estimated tokens of the context after compaction.</summary>
    public int TokensAfter { get; init; }
}

/// <summary>The agent calls a custom tool, which the client executes.</summary>
public sealed record AgentCustomToolUseEvent : SessionEvent
{
    /// <summary>The tool's name.</summary>
    public required string Name { get; init; }

    /// <summary>The tool's input.</summary>
    public required JsonElement Input { get; init; }
}

/// <summary>The agent calls a tool of one of its MCP servers.</summary>
public sealed record AgentMcpToolUseEvent : SessionEvent
{
    /// <summary>The server's name in the agent's <c>mcp_servers</c>.</summary>
    public required string McpServerName { get; init; }

    /// <summary>The tool's name on the server.</summary>
    public required string Name { get; init; }

    /// <summary>The tool's input.</summary>
    public required JsonElement Input { get; init; }

    /// <summary>The permission the policy gave: <c>allow</c>, <c>ask</c> or <c>deny</c>.</summary>
    public required string EvaluatedPermission { get; init; }

    /// <summary>Which policy gave it, with the reviewer's judgement under <c>auto</c>; null when no policy applied.</summary>
    public ToolEvaluation? Evaluation { get; init; }
}

/// <summary>The result of an MCP tool call: what the server returned, or why the call failed.</summary>
public sealed record AgentMcpToolResultEvent : SessionEvent
{
    /// <summary>The <c>agent.mcp_tool_use</c> event this answers.</summary>
    public required string McpToolUseId { get; init; }

    /// <summary>The result content: text and image blocks.</summary>
    public required IReadOnlyList<ContentBlock> Content { get; init; }

    /// <summary>Whether the call failed or was refused.</summary>
    public bool IsError { get; init; }
}
