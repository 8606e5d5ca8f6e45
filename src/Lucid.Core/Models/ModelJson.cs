namespace Lucid.Models;

/// <summary>Reading the JSON a model was asked to answer with.</summary>
internal static class ModelJson
{
    /// <summary>The answer without surrounding white space or a Markdown code fence (models add one even when told not to).</summary>
    public static string Unfence(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var json = text.Trim();
        if (json.StartsWith("```", StringComparison.Ordinal))
        {
            var firstLine = json.IndexOf('\n', StringComparison.Ordinal);
            json = json[(firstLine < 0 ? 3 : firstLine + 1)..].TrimEnd('`', ' ', '\n', '\r');
        }

        return json;
    }
}
