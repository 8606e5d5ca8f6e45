namespace Lucid.Events;

/// <summary>A message from the user.</summary>
public sealed record UserMessageEvent : SessionEvent
{
    /// <summary>The message content.</summary>
    public required IReadOnlyList<ContentBlock> Content { get; init; }
}

/// <summary>
/// Privileged context sent with the input it follows (a <c>user.message</c> or <c>user.custom_tool_result</c>), for that
/// turn and every later one: a system turn in the conversation, after the system prompt, which it does not replace.
/// </summary>
public sealed record SystemMessageEvent : SessionEvent
{
    /// <summary>The text blocks to add.</summary>
    public required IReadOnlyList<ContentBlock> Content { get; init; }
}

/// <summary>
/// Stops the running turn; the session goes idle. Without <see cref="SessionThreadId"/> it also terminates every
/// non-archived child thread; with it, only the named thread is interrupted.
/// </summary>
public sealed record UserInterruptEvent : SessionEvent
{
    /// <summary>
    /// The thread to interrupt, or null for the whole session. The primary thread's ID interrupts only the session's own
    /// turn; a child thread's ID terminates that thread and the threads it started, and leaves the session's turn running.
    /// </summary>
    public string? SessionThreadId { get; init; }
}

/// <summary>Allows or denies a tool call that waits for confirmation under <c>always_ask</c>.</summary>
public sealed record UserToolConfirmationEvent : SessionEvent
{
    /// <summary>The <c>agent.tool_use</c> event being confirmed.</summary>
    public required string ToolUseId { get; init; }

    /// <summary>Allow or deny.</summary>
    public required ToolConfirmationResult Result { get; init; }

    /// <summary>Why the call was denied, passed to the agent.</summary>
    public string? DenyMessage { get; init; }
}

/// <summary>The result of a custom tool the client executed.</summary>
public sealed record UserCustomToolResultEvent : SessionEvent
{
    /// <summary>The <c>agent.custom_tool_use</c> event this answers.</summary>
    public required string CustomToolUseId { get; init; }

    /// <summary>The result content.</summary>
    public IReadOnlyList<ContentBlock> Content { get; init; } = [];

    /// <summary>Whether the tool failed.</summary>
    public bool IsError { get; init; }
}
