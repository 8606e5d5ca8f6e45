using Lucid.Events;

namespace Lucid.Dreams;

/// <summary>
/// Which tool results count as failures. A result fails when its event says <c>is_error</c>. Imported transcripts often
/// lack that flag and signal failure in the text instead (τ-bench's tools answer <c>Error: …</c>), so in an imported
/// session a result whose text, after leading whitespace, starts with the word <c>Error</c> (case-sensitive) fails too.
/// The importers set <c>is_error</c> by the same text rule, so both views agree.
/// </summary>
internal static class ToolErrorRule
{
    /// <summary>Whether a result's text reads as an error message: it starts with <c>Error</c> followed by a non-letter or the end.</summary>
    public static bool IsErrorText(string? text)
    {
        if (text is null)
        {
            return false;
        }

        var trimmed = text.AsSpan().TrimStart();
        return trimmed.StartsWith("Error", StringComparison.Ordinal) && (trimmed.Length == 5 || !char.IsLetter(trimmed[5]));
    }

    /// <summary>Whether a tool result failed, given whether its session was imported.</summary>
    public static bool IsError(AgentToolResultEvent result, bool imported)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.IsError || (imported && result.Content.Count > 0 && result.Content[0] is TextBlock text && IsErrorText(text.Text));
    }
}
