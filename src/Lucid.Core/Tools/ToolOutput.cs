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

    /// <summary>The path relative to the workspace root, with forward slashes.</summary>
    public static string Relative(Workspace workspace, string fullPath)
    {
        var relative = Path.GetRelativePath(workspace.Root, fullPath);
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
