namespace Lucid.Importing;

/// <summary>The transcript formats Lucid imports.</summary>
public static class ImportFormats
{
    /// <summary>OpenAI chat-format message lists, as JSON or JSONL.</summary>
    public const string OpenAIChat = "openai-chat";

    /// <summary>τ-bench trajectories: OpenAI chat messages plus the task and its reward.</summary>
    public const string TauBench = "tau-bench";

    /// <summary>Claude Code session logs: the JSONL files under <c>~/.claude/projects/PROJECT/</c>, subagents as threads.</summary>
    public const string ClaudeCode = "claude-code";

    /// <summary>Codex CLI rollouts: the JSONL files under <c>~/.codex/sessions/YYYY/MM/DD/</c>.</summary>
    public const string Codex = "codex";

    /// <summary>Every format, in the order the docs list them.</summary>
    public static IReadOnlyList<string> All { get; } = [OpenAIChat, TauBench, ClaudeCode, Codex];

    /// <summary>
    /// Whether the format is a session log (a session is a whole file, or several files, of one line per entry) rather
    /// than a file of records that are each a session.
    /// </summary>
    public static bool IsSessionLog(string format) => format is ClaudeCode or Codex;
}
