namespace Lucid.Importing;

/// <summary>The session-log files under a folder, as <c>lucid import</c> reads a folder.</summary>
public static class SessionLogFiles
{
    /// <summary>
    /// The paths, relative to <paramref name="directory"/> and in ordinal order, of its session logs at any depth:
    /// every <c>*.jsonl</c> for Claude Code (sessions and their subagents' files), <c>rollout-*.jsonl</c> for Codex
    /// (so pointing at <c>~/.codex</c> leaves out its prompt history).
    /// </summary>
    public static IReadOnlyList<string> Under(string format, string directory)
    {
        var pattern = format == ImportFormats.Codex ? "rollout-*.jsonl" : "*.jsonl";
        return
        [
            .. Directory.EnumerateFiles(directory, pattern, SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(directory, path).Replace(Path.DirectorySeparatorChar, '/'))
                .Order(StringComparer.Ordinal),
        ];
    }
}
