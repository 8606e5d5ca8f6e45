namespace Lucid.Secrets;

/// <summary>
/// A secret this server holds, such as a model provider's API key, by its exact value: whatever its shape, it is never
/// written where people or models read it. <see cref="Kind"/> names it in reports; the value is never shown.
/// </summary>
/// <param name="Kind">What it is, as reports name it, such as <c>configured Anthropic API key</c>.</param>
/// <param name="Value">The secret itself.</param>
public sealed record KnownSecret(string Kind, string Value)
{
    /// <summary>The kind only, so that logging the record never logs the secret.</summary>
    public override string ToString() => $"KnownSecret {{ Kind = {Kind} }}";
}
