using System.Threading.RateLimiting;

namespace Lucid.Cluster.RateLimits;

/// <summary>What a key's bucket answered: taken, or refused with how long to wait (<see cref="MetadataName.RetryAfter"/>).</summary>
internal sealed class BucketLease : RateLimitLease
{
    private readonly TimeSpan? _retryAfter;

    private BucketLease(bool isAcquired, TimeSpan? retryAfter)
    {
        IsAcquired = isAcquired;
        _retryAfter = retryAfter;
    }

    /// <summary>The requests were taken from the bucket.</summary>
    public static BucketLease Taken { get; } = new(true, null);

    /// <summary>No answer without asking the grain: the limiter's synchronous attempt.</summary>
    public static BucketLease Undecided { get; } = new(false, null);

    public override bool IsAcquired { get; }

    public override IEnumerable<string> MetadataNames => _retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

    /// <summary>The bucket has too few requests left; <paramref name="retryAfter"/> until it has enough.</summary>
    public static BucketLease Refused(TimeSpan retryAfter) => new(false, retryAfter);

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        var found = _retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        metadata = found ? _retryAfter : null;
        return found;
    }
}
