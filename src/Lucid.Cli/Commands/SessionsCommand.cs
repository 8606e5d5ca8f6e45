using System.CommandLine;
using System.Globalization;
using Lucid.Cli.Rendering;
using Lucid.Storage;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary><c>lucid sessions list|show</c>: the stored sessions and their timelines.</summary>
internal static class SessionsCommand
{
    public static Command Create(CliContext context)
    {
        var limit = new Option<int>("--limit", "-n") { Description = "How many sessions to list, newest first.", DefaultValueFactory = _ => 20 };
        var list = new Command("list", "List sessions, newest first.") { limit };
        list.SetAction((parse, ct) => ListAsync(context, parse.GetValue(limit), ct));

        var id = new Argument<string>("id") { Description = "The session's ID (sesn_…)." };
        var show = new Command("show", "Show a session's timeline: messages, tool calls and results, errors, token usage.") { id };
        show.SetAction((parse, ct) => ShowAsync(context, parse.GetRequiredValue(id), ct));

        return new Command("sessions", "Inspect stored sessions.") { list, show };
    }

    private static async Task<int> ListAsync(CliContext context, int limit, CancellationToken cancellationToken)
    {
        await using var store = await LocalServices.OpenStoreAsync(context, cancellationToken);
        var page = await store.ListSessionsAsync(Workspaces.Default, new SessionQuery { IncludeArchived = true }, new PageRequest(Math.Clamp(limit, 1, 1000)), cancellationToken);
        if (page.Items.Count == 0)
        {
            context.Console.MarkupLine("[grey]No sessions yet. Start one with: lucid run \"your task\"[/]");
            return 0;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("ID", "Title", "Status", "Agent", "Events", "Tokens", "Created");
        foreach (var s in page.Items)
        {
            table.AddRow(
                Markup.Escape(s.Id),
                Markup.Escape(s.Title ?? ""),
                Markup.Escape(s.Status.ToString().ToLowerInvariant()),
                Markup.Escape($"{s.AgentId} v{s.AgentVersion}"),
                s.LastSequence.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(EventRenderer.Tokens(s.Usage)),
                s.CreatedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        }

        context.Console.Write(table);
        return 0;
    }

    private static async Task<int> ShowAsync(CliContext context, string id, CancellationToken cancellationToken)
    {
        await using var store = await LocalServices.OpenStoreAsync(context, cancellationToken);
        var session = await store.GetSessionAsync(id, cancellationToken);
        if (session is null)
        {
            context.Console.MarkupLine($"[red]error:[/] no session '{Markup.Escape(id)}' in {Markup.Escape(context.Home.DatabasePath)}; see lucid sessions list.");
            return 1;
        }

        var agent = await store.GetAgentAsync(session.AgentId, session.AgentVersion, cancellationToken);
        var header = new Grid().AddColumn().AddColumn();
        header.AddRow("[grey]session[/]", Markup.Escape(session.Id));
        header.AddRow("[grey]title[/]", Markup.Escape(session.Title ?? ""));
        header.AddRow("[grey]agent[/]", Markup.Escape($"{agent?.Name ?? session.AgentId} v{session.AgentVersion} · {agent?.Model}"));
        header.AddRow("[grey]status[/]", Markup.Escape(session.Status.ToString().ToLowerInvariant()));
        header.AddRow("[grey]workspace[/]", Markup.Escape(session.WorkDirectory));
        header.AddRow("[grey]tokens[/]", Markup.Escape(EventRenderer.Tokens(session.Usage)));
        context.Console.Write(new Panel(header).Header("session").Border(BoxBorder.Rounded));

        var renderer = new EventRenderer(context.Console, showStatus: true);
        long after = 0;
        while (true)
        {
            var page = await store.ReadAsync(id, after, 500, cancellationToken);
            foreach (var e in page)
            {
                renderer.Render(e);
                after = e.Sequence;
            }

            if (page.Count < 500)
            {
                return 0;
            }
        }
    }
}
