using System.Buffers.Text;
using System.Text;

namespace Lucid.Memory;

/// <summary>The page cursor of a memory listing: where in path order the next page starts.</summary>
internal static class ListCursor
{
    public static string Encode(MemoryListItem item) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes((item.Prefix is null ? "m:" : "p:") + item.Key));

    /// <summary>The scan position after the item a cursor names; (null, false) for no cursor.</summary>
    public static (string? After, bool Inclusive) Decode(string? cursor)
    {
        if (cursor is null)
        {
            return (null, false);
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw new ArgumentException($"'{cursor}' is not a page cursor of this listing.", nameof(cursor));
        }

        return text switch
        {
            ['m', ':', '/', ..] => (text[2..], false),
            ['p', ':', '/', .., '/'] => (PastPrefix(text[2..]), true),
            _ => throw new ArgumentException($"'{cursor}' is not a page cursor of this listing.", nameof(cursor)),
        };
    }

    /// <summary>The first path after every path below a directory prefix: its trailing '/' becomes '0', the next byte.</summary>
    public static string PastPrefix(string prefix) => string.Concat(prefix.AsSpan(0, prefix.Length - 1), "0");
}
