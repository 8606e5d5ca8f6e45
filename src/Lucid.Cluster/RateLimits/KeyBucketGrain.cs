using Lucid.Server;

namespace Lucid.Cluster.RateLimits;

/// <summary>
/// One API key's token bucket (<see cref="IKeyBucketGrain"/>), refilled as ASP.NET Core's token bucket is: by
/// <see cref="ApiRateLimit.RequestsPerPeriod"/> at the end of each whole <see cref="ApiRateLimit.Period"/>, up to
/// <see cref="ApiRateLimit.Burst"/>, on <see cref="TimeProvider"/>'s clock. It stays active until its bucket would be
/// full again, so going idle forgets nothing a fresh bucket would not give back anyway.
/// </summary>
internal sealed class KeyBucketGrain(ApiRateLimit limit, TimeProvider time) : Grain, IKeyBucketGrain
{
    private int _tokens = limit.Burst;
    private DateTimeOffset _refilledAt = time.GetUtcNow();

    public Task<TimeSpan?> TakeAsync(int count)
    {
        Refill();
        if (count > _tokens)
        {
            // As ASP.NET Core's bucket answers: the whole periods it takes to refill what is missing.
            var periods = (count - _tokens + limit.RequestsPerPeriod - 1) / limit.RequestsPerPeriod;
            return Task.FromResult<TimeSpan?>(limit.Period * periods);
        }

        _tokens -= count;
        var periodsToFull = (limit.Burst - _tokens + limit.RequestsPerPeriod - 1) / limit.RequestsPerPeriod;
        this.DelayDeactivation(limit.Period * periodsToFull);
        return Task.FromResult<TimeSpan?>(null);
    }

    private void Refill()
    {
        var now = time.GetUtcNow();
        var periods = (long)((now - _refilledAt) / limit.Period);
        if (periods > 0)
        {
            _tokens = (int)Math.Min(limit.Burst, _tokens + (periods * limit.RequestsPerPeriod));
            _refilledAt += limit.Period * periods;
        }
    }
}
