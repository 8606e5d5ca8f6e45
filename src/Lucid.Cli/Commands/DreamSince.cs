using System.Globalization;
using Lucid.Dreams;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary>The <c>--since</c> option of <c>lucid dream</c> and <c>lucid dream mine</c>: a duration back from now or a date.</summary>
internal static class DreamSince
{
    /// <summary>Reads <c>--since</c>; on a value that is neither a duration nor a date, says so and returns null.</summary>
    internal static DateTimeOffset? Read(CliContext context, string since)
    {
        var from = Parse(since, TimeProvider.System.GetUtcNow());
        if (from is null)
        {
            context.Console.MarkupLine($"[red]error:[/] --since '{Markup.Escape(since)}' is neither a duration (7d, 12h, 30m) nor a date (2026-01-31).");
        }

        return from;
    }

    /// <summary>The sessions created since a time: all of them, or those of <paramref name="ids"/> that are.</summary>
    internal static async Task<IReadOnlyList<string>> SelectAsync(
        SessionMining mining, string workspace, string[] ids, DateTimeOffset from, CancellationToken cancellationToken)
    {
        var recent = await mining.SessionsSinceAsync(workspace, from, cancellationToken);
        return ids.Length == 0 ? recent : [.. ids.Where(recent.Contains)];
    }

    /// <summary>A duration back from <paramref name="now"/> (<c>7d</c>, <c>12h</c>, <c>30m</c>) or an ISO date/time; null when neither.</summary>
    internal static DateTimeOffset? Parse(string text, DateTimeOffset now)
    {
        if (text.Length >= 2 && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            TimeSpan? span = text[^1] switch { 'd' => TimeSpan.FromDays(n), 'h' => TimeSpan.FromHours(n), 'm' => TimeSpan.FromMinutes(n), _ => null };
            if (span is { } s)
            {
                return now - s;
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }
}
