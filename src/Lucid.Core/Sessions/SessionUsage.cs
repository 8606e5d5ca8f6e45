namespace Lucid.Sessions;

/// <summary>Token usage, for one model request or summed over a session.</summary>
public sealed record SessionUsage
{
    /// <summary>No usage.</summary>
    public static SessionUsage Zero { get; } = new();

    /// <summary>
    /// Input tokens: the whole prompt, the tokens read from and written to the prompt cache included, as
    /// <c>Microsoft.Extensions.AI</c> reports them for every provider.
    /// </summary>
    public long InputTokens { get; init; }

    /// <summary>Output tokens.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Input tokens read from the prompt cache (a part of <see cref="InputTokens"/>).</summary>
    public long CacheReadInputTokens { get; init; }

    /// <summary>Input tokens written to the prompt cache (a part of <see cref="InputTokens"/>).</summary>
    public long CacheCreationInputTokens { get; init; }

    /// <summary>
    /// The list cost in US dollars (exact, not rounded to cents), from the model catalog's prices when the request was
    /// made; null when no request counted here had a price. On a <c>span.model_request_end</c> it is a Lucid extension.
    /// </summary>
    public decimal? ListCostUsd { get; init; }

    /// <summary>The usage a model response reports, or zero.</summary>
    public static SessionUsage FromModel(Microsoft.Extensions.AI.UsageDetails? usage) => usage is null ? Zero : new()
    {
        InputTokens = usage.InputTokenCount ?? 0,
        OutputTokens = usage.OutputTokenCount ?? 0,
        CacheReadInputTokens = usage.CachedInputTokenCount ?? 0,
        CacheCreationInputTokens = usage.AdditionalCounts?.TryGetValue("CacheCreationInputTokens", out var created) == true ? created : 0,
    };

    /// <summary>The sum of two usages.</summary>
    public SessionUsage Add(SessionUsage other) => new()
    {
        InputTokens = InputTokens + other.InputTokens,
        OutputTokens = OutputTokens + other.OutputTokens,
        CacheReadInputTokens = CacheReadInputTokens + other.CacheReadInputTokens,
        CacheCreationInputTokens = CacheCreationInputTokens + other.CacheCreationInputTokens,
        ListCostUsd = ListCostUsd is null && other.ListCostUsd is null ? null : (ListCostUsd ?? 0) + (other.ListCostUsd ?? 0),
    };
}
