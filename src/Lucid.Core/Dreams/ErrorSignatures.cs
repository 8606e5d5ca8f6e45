using System.Text;

namespace Lucid.Dreams;

/// <summary>
/// Reduces an error message to a signature that the same mistake shares across sessions: the first line, with numbers
/// replaced by <c>&lt;n&gt;</c>, identifiers that contain digits (<c>HAT030</c>, <c>gift_card_5094406</c>) by
/// <c>&lt;id&gt;</c>, and paths by <c>&lt;path&gt;</c>; whitespace collapsed; at most 200 characters.
/// </summary>
internal static class ErrorSignatures
{
    /// <summary>The longest signature kept.</summary>
    public const int MaxLength = 200;

    /// <summary>The signature of <paramref name="text"/>.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "(empty)";
        }

        var line = text.AsSpan().Trim();
        var newline = line.IndexOfAny('\r', '\n');
        if (newline >= 0)
        {
            line = line[..newline].TrimEnd();
        }

        var result = new StringBuilder(Math.Min(line.Length, MaxLength + 16));
        var i = 0;
        while (i < line.Length && result.Length < MaxLength)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                if (result.Length > 0 && result[^1] != ' ')
                {
                    result.Append(' ');
                }

                i++;
                continue;
            }

            if (IsDelimiter(c))
            {
                result.Append(c);
                i++;
                continue;
            }

            var start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]) && !IsDelimiter(line[i]))
            {
                i++;
            }

            var token = line[start..i];
            var trailing = token.Length > 1 && token[^1] is '.' or '!' or '?' ? token[^1..] : [];
            token = token[..^trailing.Length];
            result.Append(Classify(token)).Append(trailing);
        }

        return result.ToString().Trim();
    }

    private static bool IsDelimiter(char c) => c is '\'' or '"' or '`' or ',' or ';' or ':' or '(' or ')' or '[' or ']' or '{' or '}' or '<' or '>' or '=';

    private static ReadOnlySpan<char> Classify(ReadOnlySpan<char> token)
    {
        if (token.Length > 1 && (token[0] is '/' or '~' || token.Contains('/') || token.Contains('\\')))
        {
            return "<path>";
        }

        var digits = false;
        var letters = false;
        foreach (var c in token)
        {
            digits |= char.IsAsciiDigit(c);
            letters |= char.IsLetter(c);
        }

        return !digits ? token : letters ? "<id>" : "<n>";
    }
}
