namespace Lucid.Dreams;

/// <summary>How often a session called a tool, and how many of those calls failed.</summary>
/// <param name="Tool">The tool's name.</param>
/// <param name="Calls">Calls made.</param>
/// <param name="Errors">Calls that failed (see <see cref="ToolErrorRule"/>).</param>
public sealed record DigestToolCount(string Tool, int Calls, int Errors);
