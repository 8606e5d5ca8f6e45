namespace Lucid.Models;

/// <summary>The one spelling of a model string the catalog and the token estimate look up.</summary>
internal static class ModelNames
{
    /// <summary>
    /// <c>provider/model</c>: a bare <c>claude-*</c> becomes <c>anthropic/claude-*</c>, as the model resolver reads it;
    /// anything else is kept as written.
    /// </summary>
    public static string Canonical(string model) =>
        !model.Contains('/', StringComparison.Ordinal) && model.StartsWith("claude-", StringComparison.Ordinal) ? "anthropic/" + model : model;

    /// <summary>The model's name at its provider (<c>gpt-4o</c> for <c>openai/gpt-4o</c>) when the canonical string names <paramref name="provider"/>; otherwise null.</summary>
    public static string? At(string provider, string model)
    {
        var canonical = Canonical(model);
        var prefix = provider + "/";
        return canonical.StartsWith(prefix, StringComparison.Ordinal) && canonical.Length > prefix.Length ? canonical[prefix.Length..] : null;
    }
}
