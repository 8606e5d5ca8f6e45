using DiffPlex.Renderer;

namespace Lucid.Memory;

/// <summary>Unified diffs of texts, as <c>diff -u</c> prints them, with three lines of context.</summary>
public static class UnifiedDiff
{
    /// <summary>The unified diff from one text to another (null counts as empty), headed by their names; empty when they are equal.</summary>
    public static string Of(string? before, string? after, string beforeName, string afterName) =>
        UnidiffRenderer.GenerateUnidiff(before ?? "", after ?? "", beforeName, afterName, ignoreWhitespace: false, ignoreCase: false, contextLines: 3);
}
