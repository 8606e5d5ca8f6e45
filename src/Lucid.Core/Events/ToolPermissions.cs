namespace Lucid.Events;

/// <summary>The values of <see cref="AgentToolUseEvent.EvaluatedPermission"/>.</summary>
public static class ToolPermissions
{
    /// <summary>The call ran without asking.</summary>
    public const string Allow = "allow";

    /// <summary>The call waits for a <c>user.tool_confirmation</c>.</summary>
    public const string Ask = "ask";

    /// <summary>The call was refused: by the <c>auto</c> policy's reviewer, or before any policy applied (for example, an unknown tool).</summary>
    public const string Deny = "deny";
}
