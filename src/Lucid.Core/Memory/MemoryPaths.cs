using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Lucid.Results;

namespace Lucid.Memory;

/// <summary>The documented rules for memory paths and contents, and the mount slug of a store.</summary>
public static class MemoryPaths
{
    /// <summary>The most segments a path may have.</summary>
    public const int MaxSegments = 20;

    /// <summary>The longest path, in UTF-8 bytes.</summary>
    public const int MaxPathBytes = 1024;

    /// <summary>The largest content, in UTF-8 bytes (100 kB).</summary>
    public const int MaxContentBytes = 102_400;

    /// <summary>Where stores are mounted in a session.</summary>
    public const string MountRoot = "/mnt/memory";

    /// <summary>
    /// Checks a memory path: starts with <c>/</c>, 1–20 segments, none empty, <c>.</c> or <c>..</c>; no control or format
    /// characters, no U+2028/U+2029, no unpaired surrogates; Unicode NFC; at most 1,024 UTF-8 bytes.
    /// </summary>
    public static LucidError? Validate(string? path, string field = "path")
    {
        if (string.IsNullOrEmpty(path))
        {
            return LucidError.Invalid(field, $"{field} is required.");
        }

        if (path[0] != '/')
        {
            return LucidError.Invalid(field, $"{field} must start with '/'; got '{Shown(path)}'.");
        }

        return CheckCharacters(path, field) ?? CheckSegments(path.AsSpan(1), path, field);
    }

    /// <summary>Checks a listing prefix: <c>/</c>, or a valid path followed by <c>/</c>.</summary>
    public static LucidError? ValidatePrefix(string prefix, string field = "path_prefix")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix == "/")
        {
            return null;
        }

        if (prefix.Length < 2 || prefix[0] != '/' || prefix[^1] != '/')
        {
            return LucidError.Invalid(field, $"{field} must start and end with '/' (such as /notes/); got '{Shown(prefix)}'.");
        }

        return CheckCharacters(prefix, field) ?? CheckSegments(prefix.AsSpan(1, prefix.Length - 2), prefix, field);
    }

    /// <summary>Checks a content: valid UTF-16 (so valid UTF-8) and at most 100 kB.</summary>
    public static LucidError? ValidateContent(string? content, string field = "content")
    {
        if (content is null)
        {
            return LucidError.Invalid(field, $"{field} is required; pass \"\" for an empty memory.");
        }

        if (!IsWellFormed(content))
        {
            return LucidError.Invalid(field, $"{field} is not valid UTF-8 text (it holds an unpaired surrogate).");
        }

        // A memory is text: a NUL has no place in it, and PostgreSQL's text cannot hold one, so every store refuses it alike.
        if (content.Contains('\0', StringComparison.Ordinal))
        {
            return LucidError.Invalid(field, $"{field} holds a NUL character (U+0000); a memory is text.");
        }

        var bytes = Encoding.UTF8.GetByteCount(content);
        return bytes > MaxContentBytes
            ? LucidError.Invalid(field, string.Create(CultureInfo.InvariantCulture, $"{field} is {bytes:N0} bytes; a memory holds at most {MaxContentBytes:N0} bytes (100 kB)."))
            : null;
    }

    /// <summary>The lowercase hex SHA-256 of the UTF-8 bytes of a content.</summary>
    public static string Sha256(string content) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    /// <summary>True when one path is the other's ancestor (<c>/a</c> and <c>/a/b</c>).</summary>
    public static bool Overlaps(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a == b || IsAncestor(a, b) || IsAncestor(b, a);
    }

    /// <summary>True when <paramref name="ancestor"/> is a directory of <paramref name="path"/>.</summary>
    public static bool IsAncestor(string ancestor, string path) =>
        path.Length > ancestor.Length + 1 && path.StartsWith(ancestor, StringComparison.Ordinal) && path[ancestor.Length] == '/';

    /// <summary>The ancestors of a path, nearest last (<c>/a/b/c</c> → <c>/a</c>, <c>/a/b</c>).</summary>
    public static IEnumerable<string> Ancestors(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        for (var i = path.IndexOf('/', 1); i > 0; i = path.IndexOf('/', i + 1))
        {
            yield return path[..i];
        }
    }

    /// <summary>
    /// The mount directory name of a store: the name lowercased, every run of characters other than ASCII letters and
    /// digits turned into one hyphen, hyphens at the ends dropped; <c>memory</c> when nothing is left.
    /// </summary>
    public static string Slug(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var slug = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(char.ToLowerInvariant(c));
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var text = slug.ToString().TrimEnd('-');
        return text.Length == 0 ? "memory" : text;
    }

    /// <summary>Compares paths the way stores order them: by their UTF-8 bytes.</summary>
    public static int CompareUtf8(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var (ea, eb) = (a.EnumerateRunes(), b.EnumerateRunes());
        while (true)
        {
            var (ha, hb) = (ea.MoveNext(), eb.MoveNext());
            if (!ha || !hb)
            {
                return ha.CompareTo(hb);
            }

            // Code point order is UTF-8 byte order.
            var c = ea.Current.Value.CompareTo(eb.Current.Value);
            if (c != 0)
            {
                return c;
            }
        }
    }

    private static LucidError? CheckCharacters(string path, string field)
    {
        if (!IsWellFormed(path))
        {
            return LucidError.Invalid(field, $"{field} holds an unpaired surrogate; it must be valid Unicode text.");
        }

        foreach (var rune in path.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return LucidError.Invalid(field, string.Create(CultureInfo.InvariantCulture, $"{field} contains U+{rune.Value:X4} ({category}); control and format characters and line or paragraph separators are not allowed."));
            }
        }

        if (!path.IsNormalized(NormalizationForm.FormC))
        {
            return LucidError.Invalid(field, $"{field} must be in Unicode Normalization Form C; normalize it (NFC) first.");
        }

        var bytes = Encoding.UTF8.GetByteCount(path);
        return bytes > MaxPathBytes
            ? LucidError.Invalid(field, string.Create(CultureInfo.InvariantCulture, $"{field} is {bytes:N0} bytes; at most {MaxPathBytes:N0} UTF-8 bytes are allowed."))
            : null;
    }

    private static LucidError? CheckSegments(ReadOnlySpan<char> segments, string path, string field)
    {
        var count = 0;
        foreach (var range in segments.Split('/'))
        {
            var segment = segments[range];
            count++;
            if (segment.IsEmpty || segment is "." or "..")
            {
                return LucidError.Invalid(field, $"{field} '{Shown(path)}' has an empty, '.' or '..' segment; segments are separated by single '/' and a path does not end with '/'.");
            }
        }

        return count > MaxSegments
            ? LucidError.Invalid(field, $"{field} has {count} segments; at most {MaxSegments} are allowed.")
            : null;
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Shown(string path) => path.Length <= 80 ? path : path[..80] + "…";
}
