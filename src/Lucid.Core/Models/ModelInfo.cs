namespace Lucid.Models;

/// <summary>What Lucid knows of one model: its limits and list prices.</summary>
public sealed record ModelInfo
{
    /// <summary>The tokens the model accepts in one request, input and output together.</summary>
    public required int ContextWindow { get; init; }

    /// <summary>The most tokens the model writes in one response.</summary>
    public required int MaxOutputTokens { get; init; }

    /// <summary>The list price in US dollars per million input tokens, or null when unknown.</summary>
    public decimal? InputUsdPerMTok { get; init; }

    /// <summary>The list price in US dollars per million output tokens, or null when unknown.</summary>
    public decimal? OutputUsdPerMTok { get; init; }

    /// <summary>The list price in US dollars per million input tokens read from the prompt cache, or null when unknown.</summary>
    public decimal? CacheReadUsdPerMTok { get; init; }

    /// <summary>The list price in US dollars per million input tokens written to the prompt cache, or null when unknown or not charged apart.</summary>
    public decimal? CacheWriteUsdPerMTok { get; init; }

    /// <summary>
    /// Whether the context window is known (from the built-in table, an override or the model's server); false for the
    /// conservative default given to a model Lucid does not know.
    /// </summary>
    public bool IsKnown { get; init; }

    /// <summary>Whether the catalog has the list prices a budget needs: input and output.</summary>
    public bool IsPriced => InputUsdPerMTok is not null && OutputUsdPerMTok is not null;

    /// <summary>
    /// The list cost in US dollars of a request's <paramref name="usage"/>, or null when the model has no prices. Input
    /// tokens count the whole prompt, as <c>Microsoft.Extensions.AI</c> reports it for every provider, cache reads and
    /// writes included; those are priced at their own rates, or at the input rate when the catalog has none (never
    /// below what the provider charges).
    /// </summary>
    public decimal? ListCostUsd(Sessions.SessionUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (InputUsdPerMTok is not { } input || OutputUsdPerMTok is not { } output)
        {
            return null;
        }

        var uncached = Math.Max(0, usage.InputTokens - usage.CacheReadInputTokens - usage.CacheCreationInputTokens);
        var perMillion = (uncached * input) + (usage.OutputTokens * output)
            + (usage.CacheReadInputTokens * (CacheReadUsdPerMTok ?? input)) + (usage.CacheCreationInputTokens * (CacheWriteUsdPerMTok ?? input));
        return perMillion / 1_000_000m;
    }
}
