using System.Globalization;
using Lucid.Dreams.Validation;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary>A dream's lesson validation as a table: each lesson's lift, its pass counts with and without it, and whether it was kept.</summary>
internal static class DreamValidationTable
{
    public static void Write(IAnsiConsole console, DreamValidation validation)
    {
        var table = new Table().AddColumns("Lesson", "Lift", "With", "Without", "Supporting (lift)", "Unrelated (lift)", "p", "Eval run", "Decision");
        foreach (var lesson in validation.Lessons)
        {
            var measured = lesson.EvalRunId is not null;
            table.AddRow(
                Markup.Escape(lesson.Path),
                LessonLift.Show(lesson.Lift),
                measured ? string.Create(CultureInfo.InvariantCulture, $"{lesson.PassedWith}/{lesson.Trials}") : "–",
                measured ? string.Create(CultureInfo.InvariantCulture, $"{lesson.PassedWithout}/{lesson.Trials}") : "–",
                Markup.Escape(Tasks(lesson.SupportingTasks, lesson.SupportingLift)),
                Markup.Escape(Tasks(lesson.UnrelatedTasks, lesson.UnrelatedLift)),
                lesson.PValue is { } p ? p.ToString("0.####", CultureInfo.InvariantCulture) : "–",
                Markup.Escape(lesson.EvalRunId ?? "–"),
                lesson.Kept ? (measured ? "[green]kept[/]" : "[yellow]kept, not measured[/]") : "[red]dropped[/]");
        }

        console.Write(table);
    }

    private static string Tasks(IReadOnlyList<string> tasks, double? lift) =>
        tasks.Count == 0 ? "–" : $"{tasks.Count} ({LessonLift.Show(lift)})";
}
