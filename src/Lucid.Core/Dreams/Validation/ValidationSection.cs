using System.Globalization;
using System.Text;

namespace Lucid.Dreams.Validation;

/// <summary>The "Validation by replay" section of a dream's report: the settings, then each lesson's lift and whether it was kept.</summary>
internal static class ValidationSection
{
    public static string Render(DreamValidation validation)
    {
        var text = new StringBuilder("## Validation by replay\n\n");
        text.Append(CultureInfo.InvariantCulture,
            $"Each lesson was tried with and without it mounted, {validation.Trials} trials per task per arm, on the tasks of the sessions its evidence comes from and {validation.UnrelatedTasks} unrelated tasks; lessons whose lift was not above {validation.MinLift:0.00} were dropped.");
        if (validation.PlannedTrials is { } planned)
        {
            text.Append(CultureInfo.InvariantCulture, $" Planned: {planned} trial sessions, of a budget of {validation.MaxTrials}.");
        }

        text.Append("\n\n");
        if (validation.Lessons.Count == 0)
        {
            text.Append(validation.PlannedTrials is null ? "Not run.\n\n" : "No lesson to validate.\n\n");
            return text.ToString();
        }

        text.Append("| Lesson | Lift | With | Without | Supporting tasks | Unrelated tasks | p | Eval run | Decision |\n");
        text.Append("|---|---|---|---|---|---|---|---|---|\n");
        foreach (var lesson in validation.Lessons)
        {
            text.Append(CultureInfo.InvariantCulture, $"| `{lesson.Path}` | {LessonLift.Show(lesson.Lift)} | {Count(lesson.PassedWith, lesson)} | {Count(lesson.PassedWithout, lesson)} ");
            text.Append(CultureInfo.InvariantCulture, $"| {Tasks(lesson.SupportingTasks, lesson.SupportingLift)} | {Tasks(lesson.UnrelatedTasks, lesson.UnrelatedLift)} | {(lesson.PValue is { } p ? p.ToString("0.####", CultureInfo.InvariantCulture) : "–")} ");
            text.Append(CultureInfo.InvariantCulture, $"| {(lesson.EvalRunId is { } run ? $"`{run}`" : "–")} | {(lesson.Kept ? "kept" : "dropped")}{(lesson.Note is { } note ? $" ({note})" : "")} |\n");
        }

        return text.Append('\n').ToString();
    }

    private static string Count(int passed, LessonLift lesson) => lesson.EvalRunId is null ? "–" : string.Create(CultureInfo.InvariantCulture, $"{passed}/{lesson.Trials}");

    private static string Tasks(IReadOnlyList<string> tasks, double? lift) =>
        tasks.Count == 0 ? "–" : $"{string.Join(", ", tasks.Take(5))}{(tasks.Count > 5 ? $" and {tasks.Count - 5} more" : "")} ({LessonLift.Show(lift)})";
}
