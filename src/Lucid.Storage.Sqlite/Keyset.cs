using System.Globalization;
using System.Text;

namespace Lucid.Storage.Sqlite;

/// <summary>Opaque page cursors: the sort key of a page's last item, base64url-encoded.</summary>
internal static class Keyset
{
    public static string Encode(string? time, string id) => Base64Url(Encoding.UTF8.GetBytes($"{time}|{id}"));

    public static (string? Time, string? Id) Decode(string? cursor)
    {
        if (cursor is null)
        {
            return (null, null);
        }

        var parts = DecodeText(cursor).Split('|');
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0
            ? (parts[0], parts[1])
            : throw new ArgumentException($"'{cursor}' is not a page cursor of this store.", nameof(cursor));
    }

    public static string EncodeNumber(long value) => Base64Url(Encoding.UTF8.GetBytes("#" + value.ToString(CultureInfo.InvariantCulture)));

    public static long DecodeNumber(string cursor)
    {
        var text = DecodeText(cursor);
        return text.StartsWith('#') && long.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"'{cursor}' is not a page cursor of this store.", nameof(cursor));
    }

    /// <summary>Cuts a fetched list (one more than the limit) to a page, with the cursor of its last item when more follow.</summary>
    public static Page<T> Page<T>(List<T> rows, int limit, Func<T, string> cursor) =>
        rows.Count > limit ? new Page<T>(rows[..limit], cursor(rows[limit - 1])) : new Page<T>(rows, null);

    private static string DecodeText(string cursor)
    {
        try
        {
            return Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw new ArgumentException($"'{cursor}' is not a page cursor of this store.", nameof(cursor));
        }
    }

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
