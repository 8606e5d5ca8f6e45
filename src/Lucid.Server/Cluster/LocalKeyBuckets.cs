using System.Threading.RateLimiting;

namespace Lucid.Server.Cluster;

/// <summary>A single node keeps each key's bucket in its own rate limiter, which refills it.</summary>
internal sealed class LocalKeyBuckets(ApiRateLimit limit) : IKeyBuckets
{
    private readonly TokenBucketRateLimiterOptions _bucket = new()
    {
        TokenLimit = limit.Burst,
        TokensPerPeriod = limit.RequestsPerPeriod,
        ReplenishmentPeriod = limit.Period,
        QueueLimit = 0,
        AutoReplenishment = false,
    };

    public RateLimiter For(string keyId) => new TokenBucketRateLimiter(_bucket);
}
