using System.Text.Json;

namespace Lucid.Dreams;

/// <summary>
/// Recognises tool calls that touch memory: memory stores are mounted under <c>/mnt/memory/</c>. A call of <c>write</c>
/// or <c>edit</c> (or any tool whose name contains <c>write</c> or <c>edit</c>) on such a path writes memory; any other
/// call with a path there (<c>read</c>, <c>glob</c>, <c>grep</c>, or a <c>bash</c> command that names one) reads it.
/// </summary>
internal static class MemoryToolCalls
{
    /// <summary>Where memory stores are mounted.</summary>
    public const string Root = Memory.MemoryPaths.MountRoot + "/";

    private static readonly string[] PathFields = ["file_path", "path"];

    /// <summary>Finds the memory path a tool call touches and whether it writes; false when it touches none.</summary>
    public static bool TryClassify(string tool, JsonElement input, out string path, out bool isWrite)
    {
        ArgumentNullException.ThrowIfNull(tool);
        path = "";
        isWrite = false;
        if (input.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var field in PathFields)
        {
            if (input.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
                && value.GetString() is { } p && p.StartsWith(Root, StringComparison.Ordinal))
            {
                path = p;
                isWrite = tool.Contains("write", StringComparison.OrdinalIgnoreCase) || tool.Contains("edit", StringComparison.OrdinalIgnoreCase);
                return true;
            }
        }

        if (input.TryGetProperty("command", out var command) && command.ValueKind == JsonValueKind.String && command.GetString() is { } text)
        {
            var at = text.IndexOf(Root, StringComparison.Ordinal);
            if (at >= 0)
            {
                var end = at;
                while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] is not ('\'' or '"' or ';' or '|' or '&' or '>' or '<' or ')'))
                {
                    end++;
                }

                path = text[at..end];
                return true;
            }
        }

        return false;
    }
}
