using Cronos;
using Lucid.Results;

namespace Lucid.Deployments;

/// <summary>A 5-field cron expression read in an IANA time zone, by Cronos (its daylight-saving rules apply).</summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;
    private readonly TimeZoneInfo _zone;

    private CronSchedule(CronExpression expression, TimeZoneInfo zone)
    {
        _expression = expression;
        _zone = zone;
    }

    /// <summary>Parses an expression and time zone, or says which field is wrong.</summary>
    public static Result<CronSchedule> Parse(string expression, string timezone, string path = "schedule")
    {
        ArgumentNullException.ThrowIfNull(expression);
        // The API supports plain POSIX fields only: no seconds, L, W, #, ? or @shortcuts.
        if (expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 5 || expression.IndexOfAny(['L', 'W', '#', '?', '@']) >= 0)
        {
            return LucidError.Invalid($"{path}.expression", $"'{expression}' is not a 5-field cron expression (minute hour day-of-month month day-of-week).");
        }

        CronExpression parsed;
        try
        {
            parsed = CronExpression.Parse(expression, CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            return LucidError.Invalid($"{path}.expression", $"'{expression}' is not a valid cron expression: {e.Message}");
        }

        if (string.IsNullOrEmpty(timezone) || !TimeZoneInfo.TryFindSystemTimeZoneById(timezone, out var zone))
        {
            return LucidError.Invalid($"{path}.timezone", $"'{timezone}' is not a known IANA time zone.");
        }

        return new CronSchedule(parsed, zone);
    }

    /// <summary>The first ticks strictly after <paramref name="after"/>.</summary>
    public IReadOnlyList<DateTimeOffset> Next(DateTimeOffset after, int count)
    {
        var ticks = new List<DateTimeOffset>(count);
        var from = after;
        while (ticks.Count < count && _expression.GetNextOccurrence(from, _zone) is { } next)
        {
            ticks.Add(next.ToUniversalTime());
            from = next;
        }

        return ticks;
    }

    /// <summary>The latest tick in (<paramref name="after"/>, <paramref name="now"/>], or null when there is none.</summary>
    public DateTimeOffset? Latest(DateTimeOffset after, DateTimeOffset now)
    {
        DateTimeOffset? latest = null;
        foreach (var tick in _expression.GetOccurrences(after, now, _zone, fromInclusive: false, toInclusive: true))
        {
            latest = tick;
        }

        return latest?.ToUniversalTime();
    }
}
