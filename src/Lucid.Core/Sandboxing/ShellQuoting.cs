namespace Lucid.Sandboxing;

/// <summary>Quotes words for the <c>bash -c</c> command lines sandboxes run.</summary>
internal static class ShellQuoting
{
    /// <summary><paramref name="value"/> as one single-quoted word.</summary>
    public static string Quote(string value) => $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
