namespace Lucid.Tools;

/// <summary>The exact-string replacement behind the <c>edit</c> tool, for files, mounted memories and the CLI alike.</summary>
public static class TextEdit
{
    /// <summary>How many non-overlapping times <paramref name="value"/> occurs in <paramref name="text"/> (ordinal).</summary>
    public static int Count(string text, string value)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrEmpty(value);
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>The text with the first (or, with <paramref name="all"/>, every) occurrence of <paramref name="oldValue"/> replaced.</summary>
    public static string Replace(string text, string oldValue, string newValue, bool all)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrEmpty(oldValue);
        if (all)
        {
            return text.Replace(oldValue, newValue, StringComparison.Ordinal);
        }

        var i = text.IndexOf(oldValue, StringComparison.Ordinal);
        return i < 0 ? text : string.Concat(text.AsSpan(0, i), newValue, text.AsSpan(i + oldValue.Length));
    }
}
