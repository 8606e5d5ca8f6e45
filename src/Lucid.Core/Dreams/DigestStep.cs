namespace Lucid.Dreams;

/// <summary>
/// One step of a session's workflow: a tool that succeeded, standing for every successful call of it made one after
/// another (<c>read, read, edit</c> is the two steps <c>read → edit</c>).
/// </summary>
/// <param name="Tool">The tool's name.</param>
/// <param name="ToolUseEventId">The <c>agent.tool_use</c> event of the step's first call.</param>
public sealed record DigestStep(string Tool, string ToolUseEventId);
