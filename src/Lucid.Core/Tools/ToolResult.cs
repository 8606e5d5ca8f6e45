namespace Lucid.Tools;

/// <summary>What a tool call returns to the agent.</summary>
/// <param name="Content">The text the agent sees.</param>
/// <param name="IsError">Whether the call failed or was refused.</param>
internal sealed record ToolResult(string Content, bool IsError)
{
    /// <summary>A successful result.</summary>
    public static ToolResult Ok(string content) => new(content, false);

    /// <summary>A failed or refused call, with a message the agent can act on.</summary>
    public static ToolResult Fail(string message) => new(message, true);
}
