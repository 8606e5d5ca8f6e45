using System.Globalization;
using System.Text;

namespace Lucid.Tools;

/// <summary>Keeps tool output within the limit: the head and the tail, with a note of how much was cut.</summary>
internal static class ToolOutput
{
    public static string Limit(string text, int maxChars)
    {
        if (text.Length <= maxChars)
        {
            return text;
        }

        var keep = Math.Max(0, maxChars - 100);
        var head = keep * 2 / 3;
        var tail = keep - head;
        var cut = text.Length - head - tail;
        return string.Concat(
            text.AsSpan(0, head),
            string.Create(CultureInfo.InvariantCulture, $"\n… [{cut:N0} characters cut: output over {maxChars:N0} characters] …\n"),
            text.AsSpan(text.Length - tail));
    }

    /// <summary>Lines numbered for the model (1-based, <c>view_range</c> [first, last], -1 = to the end), within the output limit.</summary>
    public static string NumberedLines(IReadOnlyList<string> lines, long[]? range, int maxChars)
    {
        var (first, last) = Bounds(range);
        var text = new StringBuilder();
        for (var number = first; number <= Math.Min(last, lines.Count) && text.Length <= maxChars * 2; number++)
        {
            AppendNumbered(text, number, lines[(int)number - 1]);
        }

        return Finish(text, maxChars);
    }

    /// <summary>
    /// Lines of a text numbered as <see cref="NumberedLines"/> does, read one at a time and only until the output is
    /// full, so a large file costs no more memory than what can be returned of it.
    /// </summary>
    public static async Task<string> NumberedLinesAsync(TextReader reader, long[]? range, int maxChars, CancellationToken cancellationToken)
    {
        var (first, last) = Bounds(range);
        var text = new StringBuilder();
        for (var number = 1L; number <= last && text.Length <= maxChars * 2; number++)
        {
            if (await reader.ReadLineAsync(cancellationToken) is not { } line)
            {
                break;
            }

            if (number >= first)
            {
                AppendNumbered(text, number, line);
            }
        }

        return Finish(text, maxChars);
    }

    private static (long First, long Last) Bounds(long[]? range) =>
        (Math.Max(1, range?[0] ?? 1), range is null || range[1] < 0 ? long.MaxValue : range[1]);

    private static void AppendNumbered(StringBuilder text, long number, string line) =>
        text.Append(CultureInfo.InvariantCulture, $"{number,6}\t{line}\n");

    private static string Finish(StringBuilder text, int maxChars) =>
        Limit(text.Length == 0 ? "(no lines in that range)" : text.ToString(), maxChars);

    /// <summary>The path relative to the work directory, with forward slashes.</summary>
    public static string Relative(WorkDirectory directory, string fullPath)
    {
        var relative = Path.GetRelativePath(directory.Root, fullPath);
        return relative == "." ? "." : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>Whether a file looks binary (a NUL byte in its first 8 KiB).</summary>
    public static bool LooksBinary(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> buffer = stackalloc byte[8192];
        var read = stream.Read(buffer);
        return buffer[..read].Contains((byte)0);
    }
}
