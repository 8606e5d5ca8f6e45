namespace Lucid.Dreams;

/// <summary>A memory path a session read or wrote (never its content).</summary>
/// <param name="Path">The path under <c>/mnt/memory/</c>.</param>
/// <param name="IsWrite">Whether the call wrote or edited it.</param>
/// <param name="ToolUseEventId">The <c>agent.tool_use</c> event.</param>
public sealed record DigestMemoryAccess(string Path, bool IsWrite, string ToolUseEventId);
