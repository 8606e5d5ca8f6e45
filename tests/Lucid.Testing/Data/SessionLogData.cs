namespace Lucid.Testing.Data;

/// <summary>
/// The session logs the importer tests read, written by this project in Claude Code's and Codex's formats
/// (<c>tests/data/claude-code</c>, <c>tests/data/codex</c>), found by walking up from the test assembly's directory.
/// </summary>
public static class SessionLogData
{
    /// <summary>A Claude Code project folder: two sessions, one with a subagent file, one with an inline sidechain and a compaction.</summary>
    public static string ClaudeCodeProject => Find("tests/data/claude-code/-home-dev-shop");

    /// <summary>The main session of <see cref="ClaudeCodeProject"/>, whose subagent is in <c>SESSION/subagents/</c>.</summary>
    public const string ClaudeCodeSession = "1f0c2a9e-5b7d-4e21-9a57-3c8d2e6f4b10";

    /// <summary>The older session of <see cref="ClaudeCodeProject"/>: an inline sidechain and a compaction.</summary>
    public const string ClaudeCodeOlderSession = "8d4b7e61-2c9a-4f03-b5d8-91e6a0c3f27d";

    /// <summary>A Codex sessions folder (<c>YYYY/MM/DD/rollout-*.jsonl</c>) holding one rollout.</summary>
    public static string CodexSessions => Find("tests/data/codex");

    /// <summary>The rollout in <see cref="CodexSessions"/>.</summary>
    public static string CodexRollout => Path.Combine(CodexSessions, "2026/11/30/rollout-2026-11-30T09-15-00-0194c1e2-7a3b-7c55-9f10-2b6e8d4a1c37.jsonl");

    private static string Find(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relativePath);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"The session-log test data was not found: no '{relativePath}' in {AppContext.BaseDirectory} or any directory above it.");
    }
}
