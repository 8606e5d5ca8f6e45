using System.Globalization;
using System.Threading.RateLimiting;
using Lucid.Server.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Lucid.Server.Http;

/// <summary>
/// ASP.NET Core's rate limiter, partitioned by API key: each authenticated caller has its own token bucket
/// (<see cref="ApiRateLimit"/>), kept where <see cref="IKeyBuckets"/> says (this process, or the cluster); a request over
/// it is answered 429 <c>rate_limit_error</c> with <c>retry-after</c>.
/// Requests that <see cref="ApiKeyAuthentication"/> did not authenticate (outside <c>/v1</c>) are not limited.
/// </summary>
internal static class ApiRateLimiting
{
    /// <summary>Registers the per-key limiter; the pipeline applies it with <c>UseRateLimiter</c> after authentication.</summary>
    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services, ApiRateLimit limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit.Burst, 1, nameof(limit.Burst));
        ArgumentOutOfRangeException.ThrowIfLessThan(limit.RequestsPerPeriod, 1, nameof(limit.RequestsPerPeriod));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit.Period, TimeSpan.Zero, nameof(limit.Period));
        services.AddSingleton(limit);
        services.AddOptions<RateLimiterOptions>().Configure<IKeyBuckets>((options, buckets) =>
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => ApiCaller.Of(http) is { } caller
                ? RateLimitPartition.Get(caller.KeyId, buckets.For)
                : RateLimitPartition.GetNoLimiter("")));
        return services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (rejected, _) => new ValueTask(RejectAsync(rejected, limit));
        });
    }

    private static Task RejectAsync(OnRejectedContext rejected, ApiRateLimit limit)
    {
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limit.Period;
        var seconds = (long)Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));
        rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"This API key has made too many requests: it may make {limit.Burst} at once and {limit.RequestsPerPeriod} more every {limit.Period.TotalSeconds:0.###} s. Retry after {seconds} s.");
        return ApiErrors.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "rate_limit_error", message);
    }
}
