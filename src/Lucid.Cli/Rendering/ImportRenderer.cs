using Lucid.Importing;
using Spectre.Console;

namespace Lucid.Cli.Rendering;

/// <summary>Renders an import report: counts (and the lines ignored by type), then every skipped and malformed record with its position.</summary>
internal static class ImportRenderer
{
    public static void Render(IAnsiConsole console, ImportReport report)
    {
        var records = ImportFormats.IsSessionLog(report.Format) ? "sessions" : "records";
        console.MarkupLine(
            $"Imported [green]{report.Imported.Count}[/] of {report.Records} {records} from {Markup.Escape(report.Source)} ({Markup.Escape(report.Format)}) " +
            $"into workspace {Markup.Escape(report.WorkspaceId)}: {report.Imported.Sum(i => i.Events)} events; " +
            $"skipped [yellow]{report.Skipped.Count}[/], malformed [red]{report.Malformed.Count}[/].");
        if (report.Ignored.Count > 0)
        {
            console.MarkupLine(
                $"[grey]Ignored {report.Ignored.Values.Sum()} lines Lucid does not import: {Markup.Escape(string.Join(", ", report.Ignored.Select(i => $"{i.Key} {i.Value}")))}.[/]");
        }

        if (report.Skipped.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("skipped").AddColumns("Position", "Session", "Why");
            foreach (var s in report.Skipped)
            {
                table.AddRow(Markup.Escape(s.Position), Markup.Escape(s.SessionId), Markup.Escape(s.Reason));
            }

            console.Write(table);
        }

        if (report.Malformed.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("malformed (not imported)").AddColumns("Position", "What is wrong");
            foreach (var m in report.Malformed)
            {
                table.AddRow(Markup.Escape(m.Position), Markup.Escape(m.Reason));
            }

            console.Write(table);
        }

        if (report.Imported.Count > 0)
        {
            console.MarkupLine("[grey]See them with: lucid sessions list; mine them with: lucid dream mine --since 1d[/]");
        }
    }
}
