using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;

namespace Lucid.Cluster.RateLimits;

/// <summary>
/// The rate limiter's partition for one key in a cluster: each request asks the key's <see cref="IKeyBucketGrain"/>
/// (one grain call). It cannot answer without that call, so its synchronous attempt always fails, and ASP.NET Core's
/// middleware then waits for <see cref="AcquireAsyncCore"/>. A bucket that cannot be reached (its node is dying) lets
/// the request through: the limit guards against abuse, and is not worth refusing every request of the key for.
/// </summary>
internal sealed partial class GrainKeyBucket(IKeyBucketGrain bucket, ILogger logger) : RateLimiter
{
    // Nothing is kept here: the partition may be dropped and made again at any time.
    public override TimeSpan? IdleDuration => null;

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => BucketLease.Undecided;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        try
        {
            return await bucket.TakeAsync(permitCount).WaitAsync(cancellationToken) is { } retryAfter ? BucketLease.Refused(retryAfter) : BucketLease.Taken;
        }
#pragma warning disable CA1031 // Whatever keeps the bucket from answering (a node that does not answer, a timeout), the request is served.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Unreached(logger, ex, bucket.GetPrimaryKeyString());
            return BucketLease.Taken;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The rate limit bucket of API key {KeyId} could not be reached; the request goes through")]
    private static partial void Unreached(ILogger logger, Exception exception, string keyId);
}
