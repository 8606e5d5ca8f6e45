namespace Lucid.Dreams;

/// <summary>
/// How a failed call was fixed: the next successful call of the same tool, and what changed in its input — the top-level
/// input fields added (<c>+field</c>), removed (<c>-field</c>) or changed (<c>~field</c>), sorted; <c>unchanged</c> when
/// the same input succeeded on retry.
/// </summary>
/// <param name="Change">The input change, such as <c>~amount ~payment_id</c>.</param>
/// <param name="ToolUseEventId">The successful <c>agent.tool_use</c> event.</param>
/// <param name="CallsBetween">Other tool calls made between the failure and the fix.</param>
public sealed record DigestToolFix(string Change, string ToolUseEventId, int CallsBetween);
