using Lucid.Deployments;

namespace Lucid.Core.Tests.Deployments;

public sealed class CronScheduleTests
{
    private static CronSchedule Parse(string expression, string timezone)
    {
        var parsed = CronSchedule.Parse(expression, timezone);
        Assert.True(parsed.IsSuccess, parsed.Error?.Message);
        return parsed.Value!;
    }

    [Fact]
    public void A_time_skipped_by_spring_forward_runs_once_right_after_the_gap()
    {
        // 2026-03-08 02:30 does not exist in New York: clocks go from 02:00 EST to 03:00 EDT (07:00 UTC).
        var cron = Parse("30 2 * * *", "America/New_York");

        var ticks = cron.Next(new DateTimeOffset(2026, 3, 7, 12, 0, 0, TimeSpan.Zero), 2);

        Assert.Equal([new DateTimeOffset(2026, 3, 8, 7, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 9, 6, 30, 0, TimeSpan.Zero)], ticks);
    }

    [Fact]
    public void A_time_repeated_by_fall_back_runs_once()
    {
        // 2026-11-01 01:30 happens twice in New York (05:30 and 06:30 UTC); a fixed time runs at the first.
        var cron = Parse("30 1 * * *", "America/New_York");

        var ticks = cron.Next(new DateTimeOffset(2026, 10, 31, 12, 0, 0, TimeSpan.Zero), 2);

        Assert.Equal([new DateTimeOffset(2026, 11, 1, 5, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 2, 6, 30, 0, TimeSpan.Zero)], ticks);
    }

    [Fact]
    public void Latest_is_the_last_tick_in_the_window_and_null_when_none()
    {
        var cron = Parse("*/5 * * * *", "UTC");
        var from = new DateTimeOffset(2026, 12, 2, 14, 0, 0, TimeSpan.Zero);

        Assert.Equal(from.AddMinutes(20), cron.Latest(from, from.AddMinutes(23)));
        Assert.Null(cron.Latest(from, from.AddMinutes(4)));
    }

    [Theory]
    [InlineData("0 9 * * *", "Mars/Olympus", "schedule.timezone")]
    [InlineData("0 0 9 * * *", "UTC", "schedule.expression")]
    [InlineData("0 9 L * *", "UTC", "schedule.expression")]
    [InlineData("@daily", "UTC", "schedule.expression")]
    [InlineData("61 * * * *", "UTC", "schedule.expression")]
    public void Invalid_expressions_and_zones_name_the_field(string expression, string timezone, string field)
    {
        var parsed = CronSchedule.Parse(expression, timezone);

        Assert.False(parsed.IsSuccess);
        Assert.Equal(field, parsed.Error?.Field);
    }
}
