using System.Threading.RateLimiting;

namespace Lucid.Cluster.RateLimits;

/// <summary>
/// The rate limiter's partition for one key in a cluster: each request asks the key's <see cref="IKeyBucketGrain"/>
/// (one grain call). It cannot answer without that call, so its synchronous attempt always fails, and ASP.NET Core's
/// middleware then waits for <see cref="AcquireAsyncCore"/>.
/// </summary>
internal sealed class GrainKeyBucket(IKeyBucketGrain bucket) : RateLimiter
{
    // Nothing is kept here: the partition may be dropped and made again at any time.
    public override TimeSpan? IdleDuration => null;

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => BucketLease.Undecided;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        await bucket.TakeAsync(permitCount).WaitAsync(cancellationToken) is { } retryAfter ? BucketLease.Refused(retryAfter) : BucketLease.Taken;
}
