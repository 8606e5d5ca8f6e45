using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Lucid.Providers;

/// <summary>
/// The one retry layer of every provider: an <see cref="HttpClient"/> whose handler retries transient failures (408,
/// 429, 5xx including 529, dropped connections, attempt timeouts) with exponential backoff and jitter, honouring the
/// provider's <c>retry-after</c>. The SDKs' own retries are switched off so attempts are not multiplied.
/// </summary>
internal static class ProviderHttp
{
    public static HttpClient Create(ProviderSettings settings, TimeProvider timeProvider)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, settings.MaxRetries),
                Delay = settings.BaseDelay,
                MaxDelay = settings.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = settings.MaxRetries == 0
                    ? static _ => ValueTask.FromResult(false)
                    : new HttpRetryStrategyOptions().ShouldHandle,
            })
            .AddTimeout(new HttpTimeoutStrategyOptions { Timeout = settings.AttemptTimeout })
            .Build();
        var handler = new ResilienceHandler(pipeline) { InnerHandler = new SocketsHttpHandler() };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
