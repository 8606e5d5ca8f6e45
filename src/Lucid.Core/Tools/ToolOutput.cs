using System.Globalization;

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
        var first = (int)Math.Max(1, range?[0] ?? 1);
        var last = range is null || range[1] < 0 ? lines.Count : (int)Math.Min(lines.Count, range[1]);
        var text = new System.Text.StringBuilder();
        for (var i = first; i <= last; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i,6}\t{lines[i - 1]}\n");
            if (text.Length > maxChars * 2)
            {
                break;
            }
        }

        return Limit(text.Length == 0 ? "(no lines in that range)" : text.ToString(), maxChars);
    }

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
