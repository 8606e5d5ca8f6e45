using Spectre.Console;

namespace Lucid.Cli.Rendering;

/// <summary>Unified diffs (see <see cref="Lucid.Memory.UnifiedDiff"/>), coloured for the terminal.</summary>
internal static class TextDiff
{
    /// <summary>Writes a unified diff with added lines green and removed lines red.</summary>
    public static void Write(IAnsiConsole console, string diff)
    {
        foreach (var line in diff.Split('\n'))
        {
            var style = line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) ? "bold"
                : line.StartsWith('+') ? "green"
                : line.StartsWith('-') ? "red"
                : line.StartsWith("@@", StringComparison.Ordinal) ? "cyan"
                : "default";
            console.MarkupLine($"[{style}]{Markup.Escape(line)}[/]");
        }
    }
}
