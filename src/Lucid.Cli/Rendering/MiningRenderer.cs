using System.Globalization;
using Lucid.Dreams;
using Spectre.Console;

namespace Lucid.Cli.Rendering;

/// <summary>Renders a mining report as tables: failing tools, failure rates by verdict, recurring errors and their fixes, failure reasons, detours, workflows, memories.</summary>
internal static class MiningRenderer
{
    public static void Render(IAnsiConsole console, MiningReport report, int top)
    {
        console.MarkupLine(
            $"Mined [bold]{report.SessionIds.Count}[/] sessions ({report.Events} events): [green]{report.PassingSessions} satisfied[/], " +
            $"[red]{report.FailingSessions} failed[/], {report.UngradedSessions} without an outcome.");
        var tasks = report.SessionsWithTask > 0;
        if (tasks)
        {
            console.MarkupLine($"{report.SessionsWithTask} of them named their task: [bold]{report.Tasks}[/] distinct tasks. A pattern seen in one task only may not hold for others.");
        }

        var tools = new Table().Border(TableBorder.Rounded).Title("tools whose calls fail most often")
            .AddColumns("Tool", "Calls", "Failed", "Rate", "Sessions", "In satisfied sessions", "In failed sessions");
        foreach (var t in report.Tools.Take(top))
        {
            tools.AddRow(Markup.Escape(t.Tool), N(t.Calls), N(t.Errors), Pct(t.FailureRate), N(t.Sessions),
                $"{t.PassingErrors}/{t.PassingCalls} ({Pct(t.PassingFailureRate)})", $"{t.FailingErrors}/{t.FailingCalls} ({Pct(t.FailingFailureRate)})");
        }

        console.Write(tools);

        var rates = report.FailureRates;
        var verdicts = new Table().Border(TableBorder.Rounded).Title("tool failure rates: satisfied vs failed sessions")
            .AddColumns("Sessions", "Count", "Tool calls", "Failed calls", "Rate", "Sessions with a failed call");
        verdicts.AddRow("satisfied", N(report.PassingSessions), N(rates.PassingCalls), N(rates.PassingErrors), Pct(rates.PassingFailureRate), N(rates.PassingSessionsWithErrors));
        verdicts.AddRow("failed", N(report.FailingSessions), N(rates.FailingCalls), N(rates.FailingErrors), Pct(rates.FailingFailureRate), N(rates.FailingSessionsWithErrors));
        if (report.UngradedSessions > 0)
        {
            verdicts.AddRow("no outcome", N(report.UngradedSessions), N(rates.UngradedCalls), N(rates.UngradedErrors), Pct(ToolFailureStats.Rate(rates.UngradedErrors, rates.UngradedCalls)), "");
        }

        console.Write(verdicts);

        if (report.RecurringErrors.Count > 0)
        {
            var errors = new Table().Border(TableBorder.Rounded).Title("recurring errors and how they were fixed")
                .AddColumns("Tool", "Error signature", "Times", "Sessions", "Tasks", "Fixed in", "Most common fix", "Satisfied");
            foreach (var e in report.RecurringErrors.Take(top))
            {
                var fix = e.Fixes.Count == 0 ? "" : $"{e.Fixes[0].Change} in {e.Fixes[0].Sessions} of {e.Sessions} sessions{(tasks ? $", {e.Fixes[0].Tasks} tasks" : "")}";
                errors.AddRow(Markup.Escape(e.Tool), Markup.Escape(e.Signature), N(e.Occurrences), N(e.Sessions), Tasks(tasks, e.Tasks), N(e.FixedSessions), Markup.Escape(fix), N(e.PassingSessions));
            }

            console.Write(errors);
        }

        if (report.FailureReasons.Count > 0)
        {
            var reasons = new Table().Border(TableBorder.Rounded).Title("why outcomes failed (by rubric criterion)")
                .AddColumns("Criterion", "Evaluations", "Sessions", "Tasks", "Example");
            foreach (var r in report.FailureReasons.Take(top))
            {
                reasons.AddRow(Markup.Escape(r.FromExplanation ? $"(explanation) {r.Criterion}" : r.Criterion), N(r.Occurrences), N(r.Sessions), Tasks(tasks, r.Tasks), Markup.Escape(Short(r.Example, 80)));
            }

            console.Write(reasons);
        }

        if (report.Detours.Count > 0)
        {
            var detours = new Table().Border(TableBorder.Rounded).Title("detours (repeated calls and errors)")
                .AddColumns("Kind", "Tool", "What", "Extra times", "Sessions", "Tasks");
            foreach (var d in report.Detours.Take(top))
            {
                detours.AddRow(Markup.Escape(d.Kind.Replace('_', ' ')), Markup.Escape(d.Tool), Markup.Escape(Short(d.Signature, 80)), N(d.ExtraOccurrences), N(d.Sessions), Tasks(tasks, d.Tasks));
            }

            console.Write(detours);
        }

        if (report.Workflows.Count > 0)
        {
            var workflows = new Table().Border(TableBorder.Rounded).Title("workflows that succeeded repeatedly (same tool sequence in passing sessions)")
                .AddColumns("Steps", "Sessions", "Tasks");
            foreach (var w in report.Workflows.Take(top))
            {
                workflows.AddRow(Markup.Escape(w.Sequence), N(w.Sessions), Tasks(tasks, w.Tasks));
            }

            console.Write(workflows);
        }

        if (report.Memories.Count > 0)
        {
            var memories = new Table().Border(TableBorder.Rounded).Title("memories in passing vs failing sessions")
                .AddColumns("Path", "Read in satisfied", "Read in failed", "Read, no outcome", "Written in", "Tasks");
            foreach (var m in report.Memories.Take(top))
            {
                memories.AddRow(Markup.Escape(m.Path), N(m.ReadInPassing), N(m.ReadInFailing), N(m.ReadInUngraded), N(m.WrittenIn), Tasks(tasks, m.Tasks));
            }

            console.Write(memories);
        }

        if (report.Tokens.ModelRequests > 0)
        {
            console.MarkupLine($"Tokens: {report.Tokens.InputTokens} in, {report.Tokens.OutputTokens} out over {report.Tokens.ModelRequests} model requests; {report.Tokens.WastedTokens} on requests whose tool calls all failed.");
        }

        console.MarkupLine("[grey]--json prints the full report with the session and event IDs behind every count.[/]");
    }

    // A pattern's task count, or a dash when the sessions named no tasks (so none can be counted).
    private static string Tasks(bool known, int tasks) => known ? N(tasks) : "–";

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Pct(double rate) => rate.ToString("P1", CultureInfo.InvariantCulture);

    private static string Short(string text, int max)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= max ? line : string.Concat(line.AsSpan(0, max - 1), "…");
    }
}
