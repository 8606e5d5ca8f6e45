using System.Threading.RateLimiting;
using Lucid.Server.Cluster;
using Microsoft.Extensions.Logging;

namespace Lucid.Cluster.RateLimits;

/// <summary>Each key's bucket is its <see cref="IKeyBucketGrain"/>, on whichever node the grain is active on.</summary>
internal sealed class GrainKeyBuckets(IGrainFactory grains, ILogger<GrainKeyBuckets> logger) : IKeyBuckets
{
    public RateLimiter For(string keyId) => new GrainKeyBucket(grains.GetGrain<IKeyBucketGrain>(keyId), logger);
}
