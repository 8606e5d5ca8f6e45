namespace Lucid.Models;

/// <summary>The models Lucid knows without being told, and the default for the ones it does not.</summary>
internal static class BuiltInModels
{
    /// <summary>
    /// A model Lucid does not know: a 32,000-token window and 4,096 output tokens (small enough for most models served
    /// today, so history is compacted early rather than too late) and no prices.
    /// </summary>
    public static readonly ModelInfo Unknown = new() { ContextWindow = 32_000, MaxOutputTokens = 4_096, IsKnown = false };

    // List prices in US dollars per million tokens as the providers published them (Anthropic's and OpenAI's pricing
    // and model pages), for requests that fit the standard window: no batch discounts, no long-context or priority
    // tiers. Anthropic's cache write is the 5-minute one. OpenAI charges no cache write apart from input, so it is null.
    // Keys are prefixes: the longest one that starts a model string wins, so dated IDs
    // (claude-sonnet-4-5-20250929, gpt-4o-2024-08-06) and aliases (claude-opus-4-0) find their family, and a newer
    // claude-opus-4-x finds claude-opus-4 until it has a row. Prices change: override any row, or add a model, in the
    // "models" section of $LUCID_HOME/config.json (docs/configuration.md, "Models").
    public static readonly IReadOnlyDictionary<string, ModelInfo> Table = new Dictionary<string, ModelInfo>(StringComparer.Ordinal)
    {
        // The 2026 generation (Anthropic's pricing page and model pages as of late 2026). Haiku 5.5 is billed by prompt
        // length; its row has the dearer band (prompts over 100,000 tokens), so a budget never stops late.
        ["anthropic/claude-fable-5-1"] = Priced(1_000_000, 128_000, 10m, 50m, cacheRead: 0.25m, cacheWrite: 12.50m),
        ["anthropic/claude-fable-5"] = Priced(1_000_000, 128_000, 10m, 50m, cacheRead: 1m, cacheWrite: 12.50m),
        ["anthropic/claude-opus-5-5"] = Priced(1_000_000, 128_000, 4m, 20m, cacheRead: 0.20m, cacheWrite: 5m),
        ["anthropic/claude-opus-5"] = Priced(1_000_000, 128_000, 5m, 25m, cacheRead: 0.50m, cacheWrite: 6.25m),
        ["anthropic/claude-sonnet-5-5"] = Priced(1_000_000, 128_000, 2m, 10m, cacheRead: 0.20m, cacheWrite: 2.50m),
        ["anthropic/claude-sonnet-5"] = Priced(1_000_000, 128_000, 2m, 10m, cacheRead: 0.20m, cacheWrite: 2.50m),
        ["anthropic/claude-haiku-5-5"] = Priced(1_000_000, 128_000, 0.50m, 2.50m, cacheRead: 0.05m, cacheWrite: 0.625m),
        ["anthropic/claude-opus-4-8"] = Priced(200_000, 64_000, 5m, 25m, cacheRead: 0.50m, cacheWrite: 6.25m),
        ["anthropic/claude-opus-4-7"] = Priced(200_000, 64_000, 5m, 25m, cacheRead: 0.50m, cacheWrite: 6.25m),
        ["anthropic/claude-opus-4-6"] = Priced(200_000, 64_000, 5m, 25m, cacheRead: 0.50m, cacheWrite: 6.25m),
        ["anthropic/claude-sonnet-4-6"] = Priced(200_000, 64_000, 3m, 15m, cacheRead: 0.30m, cacheWrite: 3.75m),
        ["anthropic/claude-opus-4-5"] = Priced(200_000, 64_000, 5m, 25m, cacheRead: 0.50m, cacheWrite: 6.25m),
        ["anthropic/claude-opus-4-1"] = Priced(200_000, 32_000, 15m, 75m, cacheRead: 1.50m, cacheWrite: 18.75m),
        ["anthropic/claude-opus-4"] = Priced(200_000, 32_000, 15m, 75m, cacheRead: 1.50m, cacheWrite: 18.75m),
        ["anthropic/claude-sonnet-4-5"] = Priced(200_000, 64_000, 3m, 15m, cacheRead: 0.30m, cacheWrite: 3.75m),
        ["anthropic/claude-sonnet-4"] = Priced(200_000, 64_000, 3m, 15m, cacheRead: 0.30m, cacheWrite: 3.75m),
        ["anthropic/claude-haiku-4-5"] = Priced(200_000, 64_000, 1m, 5m, cacheRead: 0.10m, cacheWrite: 1.25m),
        ["anthropic/claude-3-7-sonnet"] = Priced(200_000, 64_000, 3m, 15m, cacheRead: 0.30m, cacheWrite: 3.75m),
        ["anthropic/claude-3-5-haiku"] = Priced(200_000, 8_192, 0.80m, 4m, cacheRead: 0.08m, cacheWrite: 1m),

        ["openai/gpt-4o"] = Priced(128_000, 16_384, 2.50m, 10m, cacheRead: 1.25m),
        ["openai/gpt-4o-2024-05-13"] = Priced(128_000, 4_096, 5m, 15m),
        ["openai/gpt-4o-mini"] = Priced(128_000, 16_384, 0.15m, 0.60m, cacheRead: 0.075m),
        ["openai/gpt-4.1"] = Priced(1_047_576, 32_768, 2m, 8m, cacheRead: 0.50m),
        ["openai/gpt-4.1-mini"] = Priced(1_047_576, 32_768, 0.40m, 1.60m, cacheRead: 0.10m),
        ["openai/gpt-4.1-nano"] = Priced(1_047_576, 32_768, 0.10m, 0.40m, cacheRead: 0.025m),
        ["openai/gpt-5"] = Priced(400_000, 128_000, 1.25m, 10m, cacheRead: 0.125m),
        ["openai/gpt-5-mini"] = Priced(400_000, 128_000, 0.25m, 2m, cacheRead: 0.025m),
        ["openai/gpt-5-nano"] = Priced(400_000, 128_000, 0.05m, 0.40m, cacheRead: 0.005m),
        ["openai/gpt-5-chat"] = Priced(128_000, 16_384, 1.25m, 10m, cacheRead: 0.125m),
        ["openai/gpt-5-pro"] = Priced(400_000, 272_000, 15m, 120m),
        ["openai/o3"] = Priced(200_000, 100_000, 2m, 8m, cacheRead: 0.50m),
        ["openai/o3-mini"] = Priced(200_000, 100_000, 1.10m, 4.40m, cacheRead: 0.55m),
        ["openai/o3-pro"] = Priced(200_000, 100_000, 20m, 80m),
        ["openai/o4-mini"] = Priced(200_000, 100_000, 1.10m, 4.40m, cacheRead: 0.275m),
    };

    private static ModelInfo Priced(int window, int output, decimal input, decimal outputPrice, decimal? cacheRead = null, decimal? cacheWrite = null) => new()
    {
        ContextWindow = window,
        MaxOutputTokens = output,
        InputUsdPerMTok = input,
        OutputUsdPerMTok = outputPrice,
        CacheReadUsdPerMTok = cacheRead,
        CacheWriteUsdPerMTok = cacheWrite,
        IsKnown = true,
    };
}
