using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Lucid.Cli.Rendering;
using Lucid.Dreams;
using Lucid.Json;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary>
/// <c>lucid dream …</c>: learning from past sessions. <c>lucid dream --store S --sessions …</c> runs a whole dream here,
/// printing each stage; <c>lucid dream show ID</c> prints its report and what it changed; <c>lucid dream mine</c> runs
/// only the model-free half (digest and mine) and prints the patterns.
/// </summary>
internal static partial class DreamCommand
{
    public static Command Create(CliContext context)
    {
        var sessions = new Option<string[]>("--sessions") { Description = "The sessions to mine (sesn_…), space-separated or repeated.", AllowMultipleArgumentsPerToken = true };
        var since = new Option<string?>("--since") { Description = "Mine every session created since then: a duration back from now (7d, 12h, 30m) or a date (2026-01-31). With --sessions, keeps only those created since then." };
        var workspace = new Option<string>("--workspace", "-w") { Description = "The workspace whose sessions are mined.", DefaultValueFactory = _ => Workspaces.Default };
        var json = new Option<bool>("--json") { Description = "Print the mining report as JSON (with every session and event ID cited)." };
        var top = new Option<int>("--top") { Description = "Rows per table.", DefaultValueFactory = _ => 10 };
        var mine = new Command("mine", "Digest sessions and mine patterns across them, with counts — no model needed.") { sessions, since, workspace, json, top };
        mine.SetAction((parse, ct) => MineAsync(
            context, parse.GetValue(sessions) ?? [], parse.GetValue(since), parse.GetValue(workspace) ?? Workspaces.Default, parse.GetValue(json), Math.Max(1, parse.GetValue(top)), ct));
        var dream = new Command("dream", "Learn from past sessions: dream over them into cited lessons in a memory store (or only mine them).") { mine, Show(context), Cancel(context) };
        AddRun(context, dream);
        return dream;
    }

    /// <summary>Reads <c>--since</c>; on a value that is neither a duration nor a date, says so and returns null.</summary>
    internal static DateTimeOffset? SinceOption(CliContext context, string since)
    {
        var from = ParseSince(since, TimeProvider.System.GetUtcNow());
        if (from is null)
        {
            context.Console.MarkupLine($"[red]error:[/] --since '{Markup.Escape(since)}' is neither a duration (7d, 12h, 30m) nor a date (2026-01-31).");
        }

        return from;
    }

    /// <summary>The sessions created since a time: all of them, or those of <paramref name="ids"/> that are.</summary>
    internal static async Task<IReadOnlyList<string>> SelectSinceAsync(
        SessionMining mining, string workspace, string[] ids, DateTimeOffset from, CancellationToken cancellationToken)
    {
        var recent = await mining.SessionsSinceAsync(workspace, from, cancellationToken);
        return ids.Length == 0 ? recent : [.. ids.Where(recent.Contains)];
    }

    private static async Task<int> MineAsync(CliContext context, string[] ids, string? since, string workspace, bool json, int top, CancellationToken cancellationToken)
    {
        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (SinceOption(context, since) is not { } parsed)
            {
                return 2;
            }

            from = parsed;
        }

        if (ids.Length == 0 && from is null)
        {
            context.Console.MarkupLine("[red]error:[/] name the sessions with --sessions, or mine every session since a time with --since (for example --since 7d).");
            return 2;
        }

        await using var store = await LocalServices.OpenStoreAsync(context, cancellationToken);
        var mining = new SessionMining(store);
        IReadOnlyList<string> selected = ids;
        if (from is { } start)
        {
            selected = await SelectSinceAsync(mining, workspace, ids, start, cancellationToken);
        }

        if (selected.Count == 0)
        {
            context.Console.MarkupLine($"[yellow]No sessions to mine[/] in workspace {Markup.Escape(workspace)}{(from is null ? "" : " since " + from.Value.ToString("u", CultureInfo.InvariantCulture))}.");
            return 0;
        }

        var report = await mining.MineAsync(workspace, selected, cancellationToken);
        if (!report.IsSuccess)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(report.Error.Message)}");
            return 1;
        }

        if (json)
        {
            await context.Console.Profile.Out.Writer.WriteLineAsync(JsonSerializer.Serialize(report.Value, LucidJsonContext.Default.MiningReport));
        }
        else
        {
            MiningRenderer.Render(context.Console, report.Value, top);
        }

        return 0;
    }

    /// <summary>A duration back from <paramref name="now"/> (<c>7d</c>, <c>12h</c>, <c>30m</c>) or an ISO date/time; null when neither.</summary>
    internal static DateTimeOffset? ParseSince(string text, DateTimeOffset now)
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
