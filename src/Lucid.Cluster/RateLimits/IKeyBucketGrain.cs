namespace Lucid.Cluster.RateLimits;

/// <summary>
/// One API key's token bucket, shared by every node (<see cref="Lucid.Server.ApiRateLimit"/>). Its key is the API key's
/// ID. Orleans keeps at most one activation of it in the cluster, so the nodes draw on one budget per key.
/// </summary>
public interface IKeyBucketGrain : IGrainWithStringKey
{
    /// <summary>Takes <paramref name="count"/> requests from the bucket: null when they were taken, else how long until there are enough.</summary>
    Task<TimeSpan?> TakeAsync(int count);
}
