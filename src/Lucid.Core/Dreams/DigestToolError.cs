namespace Lucid.Dreams;

/// <summary>A failed tool call.</summary>
/// <param name="Tool">The tool's name.</param>
/// <param name="Signature">The error's signature (see <see cref="ErrorSignatures"/>).</param>
/// <param name="Message">The error's text (at most 300 characters; empty for a failed memory read, whose output is never kept).</param>
/// <param name="ToolUseEventId">The <c>agent.tool_use</c> event.</param>
/// <param name="ResultEventId">The <c>agent.tool_result</c> event.</param>
/// <param name="Fix">How the next successful call of the same tool differed, or null when none followed.</param>
public sealed record DigestToolError(string Tool, string Signature, string Message, string ToolUseEventId, string ResultEventId, DigestToolFix? Fix);
