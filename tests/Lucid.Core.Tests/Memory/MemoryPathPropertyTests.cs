using System.Globalization;
using System.Text;
using Lucid.Memory;

namespace Lucid.Core.Tests.Memory;

/// <summary>
/// Thousands of generated paths, valid and invalid, checked against an independent reading of the documented rules.
/// </summary>
public sealed class MemoryPathPropertyTests
{
    // Pieces chosen to hit every rule: separators, dot segments, control, format and separator characters, combining
    // marks (NFC), astral characters (surrogate pairs), unpaired surrogates, and long runs (the byte limit).
    private static readonly string[] Pieces =
    [
        "/", "/", "/", "a", "notes", "todo.md", "Z", "-", "_", " ", ".", "..", "...", "é", "e\u0301", "\u00C5", "A\u030A", "日本",
        "😀", "\U0001F9E0", "\u0000", "\t", "\n", "\u007F", "\u0085", "\u00AD", "\u200B", "\u200D", "\uFEFF", "\u2028", "\u2029",
        "\uD800", "\uDC00", "\u0301", "x", "long-segment-name-" + new string('k', 60), new string('w', 300), "ß", "ǅ", "\u3000",
    ];

    [Fact]
    public void Generated_paths_are_accepted_exactly_when_the_documented_rules_hold()
    {
        var random = new Random(20261125);
        int valid = 0, invalid = 0;
        for (var n = 0; n < 20_000; n++)
        {
            var path = Generate(random);
            var expected = Oracle(path);
            var error = MemoryPaths.Validate(path);
            Assert.True(expected == (error is null), $"Path {Escape(path)}: oracle says {(expected ? "valid" : "invalid")}, validator says {error?.Message ?? "valid"}");
            if (expected)
            {
                valid++;
            }
            else
            {
                invalid++;
            }
        }

        // Both sides of the rules are exercised in earnest.
        Assert.True(valid > 2_000, $"only {valid} valid paths were generated");
        Assert.True(invalid > 2_000, $"only {invalid} invalid paths were generated");
    }

    [Theory]
    [InlineData("/a", true)]
    [InlineData("/projects/foo/notes.md", true)]
    [InlineData("/é/日本/😀.md", true)]
    [InlineData("/a b/c d", true)]
    [InlineData("/...", true)]
    [InlineData("", false)]
    [InlineData("/", false)]
    [InlineData("a/b", false)]
    [InlineData("/a/", false)]
    [InlineData("//a", false)]
    [InlineData("/a//b", false)]
    [InlineData("/./a", false)]
    [InlineData("/a/..", false)]
    [InlineData("/a\u0000", false)]
    [InlineData("/a\u200Bb", false)]
    [InlineData("/a\u2028b", false)]
    public void Documented_examples(string path, bool valid) => Assert.Equal(valid, MemoryPaths.Validate(path) is null);

    [Fact]
    public void Decomposed_text_and_unpaired_surrogates_are_refused()
    {
        // Not theory data: test runners may normalize or replace such strings when they serialize cases.
        Assert.NotNull(MemoryPaths.Validate("/e\u0301"));
        Assert.Null(MemoryPaths.Validate("/\u00E9"));
        Assert.NotNull(MemoryPaths.Validate("/a\uD800"));
        Assert.NotNull(MemoryPaths.Validate("/a\uDC00b"));
        Assert.NotNull(MemoryPaths.ValidateContent("x\uD800"));
    }

    [Fact]
    public void Content_with_a_nul_is_refused_on_every_store()
    {
        Assert.Contains("NUL", MemoryPaths.ValidateContent("a\u0000b")?.Message, StringComparison.Ordinal);
        Assert.Null(MemoryPaths.ValidateContent("a\u0001b\tc\n"));
    }

    [Fact]
    public void Twenty_segments_and_1024_bytes_are_the_limits()
    {
        Assert.Null(MemoryPaths.Validate(string.Concat(Enumerable.Repeat("/s", 20))));
        Assert.NotNull(MemoryPaths.Validate(string.Concat(Enumerable.Repeat("/s", 21))));
        Assert.Null(MemoryPaths.Validate("/" + new string('a', 1023)));
        Assert.NotNull(MemoryPaths.Validate("/" + new string('a', 1024)));
        Assert.Null(MemoryPaths.Validate("/" + string.Concat(Enumerable.Repeat("é", 511)) + "a"));
        Assert.NotNull(MemoryPaths.Validate("/" + string.Concat(Enumerable.Repeat("é", 512))));
    }

    [Fact]
    public void Generated_prefixes_are_valid_exactly_when_the_path_inside_them_is()
    {
        var random = new Random(7);
        for (var n = 0; n < 5_000; n++)
        {
            var path = Generate(random);
            Assert.Equal(path == "/" || (path.Length > 1 && path[^1] == '/' && Oracle(path[..^1])), MemoryPaths.ValidatePrefix(path) is null);
        }
    }

    [Fact]
    public void Ordering_by_utf8_bytes_matches_ordinal_byte_comparison()
    {
        var random = new Random(11);
        for (var n = 0; n < 5_000; n++)
        {
            var (a, b) = (Generate(random).Replace("\uD800", "", StringComparison.Ordinal), Generate(random).Replace("\uD800", "", StringComparison.Ordinal));
            (a, b) = (a.Replace("\uDC00", "", StringComparison.Ordinal), b.Replace("\uDC00", "", StringComparison.Ordinal));
            var bytes = Math.Sign(Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));
            Assert.Equal(bytes, Math.Sign(MemoryPaths.CompareUtf8(a, b)));
        }
    }

    [Theory]
    [InlineData("User Preferences", "user-preferences")]
    [InlineData("  Team: notes!! 2026 ", "team-notes-2026")]
    [InlineData("café", "caf")]
    [InlineData("日本", "memory")]
    [InlineData("a--b", "a-b")]
    public void The_slug_lowercases_and_turns_runs_of_other_characters_into_one_hyphen(string name, string slug) =>
        Assert.Equal(slug, MemoryPaths.Slug(name));

    private static string Generate(Random random)
    {
        var text = new StringBuilder();
        if (random.Next(10) > 0)
        {
            text.Append('/');
        }

        var count = random.Next(1, 12) + (random.Next(8) == 0 ? random.Next(10, 30) : 0);
        for (var i = 0; i < count; i++)
        {
            // Mostly plain pieces, so a good share of paths is valid.
            text.Append(random.Next(3) == 0 ? Pieces[random.Next(Pieces.Length)] : Pieces[random.Next(9)]);
        }

        return text.ToString();
    }

    // The rules as documented, computed another way: a strict UTF-8 encoder finds unpaired surrogates, categories come
    // from CharUnicodeInfo, and segments from string.Split.
    private static bool Oracle(string path)
    {
        if (!path.StartsWith('/'))
        {
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(path);
        }
        catch (EncoderFallbackException)
        {
            return false;
        }

        for (var i = 0; i < path.Length; i += char.IsSurrogatePair(path, i) ? 2 : 1)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(path, i);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format || path[i] is '\u2028' or '\u2029')
            {
                return false;
            }
        }

        var segments = path[1..].Split('/');
        return segments.Length is >= 1 and <= 20
            && segments.All(s => s.Length > 0 && s != "." && s != "..")
            && path.Normalize(NormalizationForm.FormC) == path
            && bytes.Length <= 1024;
    }

    private static string Escape(string s) =>
        string.Concat(s.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
}
