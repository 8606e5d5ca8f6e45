using Lucid.Sessions;

namespace Lucid.Events;

/// <summary>
/// A snapshot of the session's cumulative usage and list cost (<c>session.usage</c>), recorded at the end of each turn
/// that used a model and when a budget stops one. A runner appends it empty; the store fills in the session's figures
/// in the transaction that commits it (<see cref="SessionProjection.Complete"/>), so it is exact even while other
/// threads of the session spend.
/// </summary>
public sealed record SessionUsageEvent : SessionEvent
{
    /// <summary>The session's cumulative usage when the snapshot was taken.</summary>
    public UsageSnapshot Usage { get; init; } = UsageSnapshot.Of(SessionUsage.Zero);

    /// <summary>The session's budget when the snapshot was taken, or null when it has none.</summary>
    public SessionBudget? Budget { get; init; }
}

/// <summary>Cumulative usage as the API shapes it for sessions, threads and <c>session.usage</c> events.</summary>
public sealed record UsageSnapshot
{
    /// <summary>Input tokens.</summary>
    public long InputTokens { get; init; }

    /// <summary>Output tokens.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Input tokens read from the prompt cache.</summary>
    public long CacheReadInputTokens { get; init; }

    /// <summary>Input tokens written to the prompt cache, by the cache entry's lifetime.</summary>
    public required CacheCreationUsage CacheCreation { get; init; }

    /// <summary>The list cost, rounded up to the cent; absent when no request had a price.</summary>
    public MonetaryAmount? ListCost { get; init; }

    /// <summary>The snapshot of <paramref name="usage"/>.</summary>
    public static UsageSnapshot Of(SessionUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return new()
        {
            InputTokens = usage.InputTokens,
            OutputTokens = usage.OutputTokens,
            CacheReadInputTokens = usage.CacheReadInputTokens,
            // Lucid asks for no cache lifetime, so the providers' cache writes are the default five-minute ones.
            CacheCreation = new CacheCreationUsage { Ephemeral5mInputTokens = usage.CacheCreationInputTokens },
            ListCost = usage.ListCostUsd is { } usd ? MonetaryAmount.FromUsd(usd) : null,
        };
    }
}

/// <summary>Tokens written to the prompt cache, by the cache entry's lifetime.</summary>
public sealed record CacheCreationUsage
{
    /// <summary>Tokens written to five-minute cache entries.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("ephemeral_5m_input_tokens")]
    public long Ephemeral5mInputTokens { get; init; }

    /// <summary>Tokens written to one-hour cache entries.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("ephemeral_1h_input_tokens")]
    public long Ephemeral1hInputTokens { get; init; }
}
