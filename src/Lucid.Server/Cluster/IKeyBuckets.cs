using System.Threading.RateLimiting;

namespace Lucid.Server.Cluster;

/// <summary>
/// Where each API key's token bucket (<see cref="ApiRateLimit"/>) is kept. On a single node that is this process; in a
/// cluster, the key's grain, so that every node draws on one budget per key.
/// </summary>
internal interface IKeyBuckets
{
    /// <summary>The limiter the rate limiter's partition for <paramref name="keyId"/> asks.</summary>
    RateLimiter For(string keyId);
}
