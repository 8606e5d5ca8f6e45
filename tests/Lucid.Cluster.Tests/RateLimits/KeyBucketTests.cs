using System.Net;
using Lucid.Server;
using Microsoft.Extensions.Time.Testing;

namespace Lucid.Cluster.Tests.RateLimits;

public sealed class KeyBucketTests
{
    [Fact]
    public async Task Two_nodes_draw_on_one_bucket_per_key_refilled_on_lucids_clock()
    {
        var limit = new ApiRateLimit { Burst = 2, RequestsPerPeriod = 1, Period = TimeSpan.FromMinutes(1) };
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var database = await TestNodes.DatabaseAsync();
        await using var a = await TestNodes.StartAsync(database, time, limit);
        await using var b = await TestNodes.StartAsync(database, time, limit);
        await TestNodes.WaitForEachOtherAsync(a, b);
        using var alphaOnA = a.Http(a.AlphaKey);
        using var alphaOnB = b.Http(a.AlphaKey);
        using var betaOnB = b.Http(a.BetaKey);

        using var first = await alphaOnA.GetAsync("/v1/agents");
        using var second = await alphaOnB.GetAsync("/v1/agents");
        using var spentOnA = await alphaOnA.GetAsync("/v1/agents");
        using var spentOnB = await alphaOnB.GetAsync("/v1/agents");
        using var otherKey = await betaOnB.GetAsync("/v1/agents");
        time.Advance(TimeSpan.FromMinutes(1));
        using var refilled = await alphaOnA.GetAsync("/v1/agents");
        using var spentAgain = await alphaOnB.GetAsync("/v1/agents");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, spentOnA.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, spentOnB.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(1), spentOnB.Headers.RetryAfter?.Delta);
        Assert.Contains("rate_limit_error", await spentOnB.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, refilled.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, spentAgain.StatusCode);
    }
}
