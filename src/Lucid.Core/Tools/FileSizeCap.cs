using System.Globalization;

namespace Lucid.Tools;

/// <summary>The size caps of the file tools, checked before a file is loaded or written, with errors that name both sizes.</summary>
internal static class FileSizeCap
{
    /// <summary>A refusal when the file at <paramref name="path"/> is larger than <paramref name="cap"/>, or null.</summary>
    public static ToolResult? File(string tool, string shown, string path, long cap, string hint)
    {
        var size = new FileInfo(path).Length;
        return size <= cap ? null
            : ToolResult.Fail(string.Create(CultureInfo.InvariantCulture, $"{tool}: '{shown}' is {size:N0} bytes, over the {cap:N0}-byte limit of {tool}; {hint}"));
    }

    /// <summary>A refusal when <paramref name="size"/> bytes of <paramref name="what"/> are more than <paramref name="cap"/>, or null.</summary>
    public static ToolResult? Content(string tool, string what, long size, long cap) =>
        size <= cap ? null
            : ToolResult.Fail(string.Create(CultureInfo.InvariantCulture, $"{tool}: {what} is {size:N0} bytes, over the {cap:N0}-byte limit of {tool}; nothing was written."));
}
