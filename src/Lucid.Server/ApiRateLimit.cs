namespace Lucid.Server;

/// <summary>
/// How many requests each API key may make: a token bucket per key, holding <see cref="Burst"/> requests and refilled
/// by <see cref="RequestsPerPeriod"/> every <see cref="Period"/>. A request over the limit gets 429
/// <c>rate_limit_error</c> with <c>retry-after</c>. Keys do not share buckets; requests without a valid key are refused
/// with 401 before they reach a bucket.
/// </summary>
public sealed record ApiRateLimit
{
    /// <summary>The most requests a key may make at once after a quiet spell (the bucket's size). Defaults to 1,000.</summary>
    public int Burst { get; init; } = 1_000;

    /// <summary>
    /// How many requests a key gets back every <see cref="Period"/> (the sustained rate). Defaults to 100, which a
    /// client polling every 20 ms stays under and a runaway loop does not.
    /// </summary>
    public int RequestsPerPeriod { get; init; } = 100;

    /// <summary>How often the bucket is refilled. Defaults to 1 second.</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(1);
}
