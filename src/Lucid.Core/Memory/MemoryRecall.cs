using System.Text.RegularExpressions;

namespace Lucid.Memory;

/// <summary>
/// Marks memory text placed into a session, so that whoever reads the transcript later (a dream) can tell memory the
/// agent recalled from what it observed.
/// </summary>
internal static partial class MemoryRecall
{
    /// <summary>The tag around recalled memory text.</summary>
    public const string Tag = "recalled-memory";

    /// <summary>Wraps memory text (as a tool shows it) in the recall marker, naming where it came from.</summary>
    public static string Wrap(string source, string? versionId, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var version = versionId is null ? "" : $" version=\"{versionId}\"";
        return $"<{Tag} source=\"{source}\"{version}>\n{text}{(text.EndsWith('\n') ? "" : "\n")}</{Tag}>";
    }

    /// <summary>The text with every recalled-memory block removed.</summary>
    public static string Strip(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains($"<{Tag}", StringComparison.Ordinal) ? Blocks().Replace(text, "") : text;
    }

    /// <summary>True when a tool path points into a mounted memory store.</summary>
    public static bool IsMemoryPath(string? path) =>
        path is not null && (path == MemoryPaths.MountRoot || path.StartsWith(MemoryPaths.MountRoot + "/", StringComparison.Ordinal));

    [GeneratedRegex("<recalled-memory\\b[^>]*>.*?</recalled-memory>", RegexOptions.Singleline)]
    private static partial Regex Blocks();
}
