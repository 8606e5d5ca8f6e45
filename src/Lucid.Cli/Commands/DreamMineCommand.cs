using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Lucid.Cli.Rendering;
using Lucid.Dreams;
using Lucid.Json;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary><c>lucid dream mine</c>: digests sessions and mines patterns across them, with counts — no model needed.</summary>
internal static class DreamMineCommand
{
    public static Command Create(CliContext context)
    {
        var sessions = new Option<string[]>("--sessions") { Description = "The sessions to mine (sesn_…), space-separated or repeated.", AllowMultipleArgumentsPerToken = true };
        var since = new Option<string?>("--since") { Description = "Mine every session created since then: a duration back from now (7d, 12h, 30m) or a date (2026-01-31). With --sessions, keeps only those created since then." };
        var workspace = DreamCommand.WorkspaceOption("The workspace whose sessions are mined.");
        var json = new Option<bool>("--json") { Description = "Print the mining report as JSON (with every session and event ID cited)." };
        var top = new Option<int>("--top") { Description = "Rows per table.", DefaultValueFactory = _ => 10 };
        var split = TaskSplit.OfSessions();
        var mine = new Command("mine", "Digest sessions and mine patterns across them, with counts — no model needed.") { sessions, since, workspace, json, top };
        foreach (var option in split.Options)
        {
            mine.Options.Add(option);
        }

        mine.SetAction((parse, ct) => MineAsync(
            context, parse.GetValue(sessions) ?? [], parse.GetValue(since), split.Read(parse), parse.GetValue(workspace) ?? Workspaces.Default, parse.GetValue(json), Math.Max(1, parse.GetValue(top)), ct));
        return mine;
    }

    private static async Task<int> MineAsync(CliContext context, string[] ids, string? since, TaskSplit.Selection split, string workspace, bool json, int top, CancellationToken cancellationToken)
    {
        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (DreamSince.Read(context, since) is not { } parsed)
            {
                return 2;
            }

            from = parsed;
        }

        if (ids.Length == 0 && from is null)
        {
            if (!split.Any)
            {
                context.Console.MarkupLine("[red]error:[/] name the sessions with --sessions, mine every session since a time with --since (for example --since 7d), or every session of some tasks with --tasks.");
                return 2;
            }

            from = DateTimeOffset.MinValue;
        }

        await using var store = await LocalServices.OpenStoreAsync(context, cancellationToken);
        var mining = new SessionMining(store);
        IReadOnlyList<string> selected = ids;
        if (from is { } start)
        {
            selected = await DreamSince.SelectAsync(mining, workspace, ids, start, cancellationToken);
        }

        selected = await split.ApplyAsync(mining, workspace, selected, cancellationToken);

        if (selected.Count == 0)
        {
            context.Console.MarkupLine($"[yellow]No sessions to mine[/] in workspace {Markup.Escape(workspace)}{(from is null || from == DateTimeOffset.MinValue ? "" : " since " + from.Value.ToString("u", CultureInfo.InvariantCulture))}{(split.Any ? " in the tasks asked for" : "")}.");
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
}
