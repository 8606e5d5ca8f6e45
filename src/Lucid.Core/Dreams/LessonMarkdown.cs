using System.Globalization;
using System.Text;
using Lucid.Memory;

namespace Lucid.Dreams;

/// <summary>
/// Renders a lesson as markdown a person can read: when it applies, what to do, and its evidence — the sessions and
/// events it came from, with counts — so a console or the CLI can link it to the moment in a transcript.
/// </summary>
internal static class LessonMarkdown
{
    /// <summary>The heading of a lesson's evidence section.</summary>
    public const string EvidenceLabel = "**Evidence:**";

    /// <summary>The label of the note on a lesson whose evidence comes from one task.</summary>
    public const string TaskSpecificLabel = "**Task-specific:**";

    /// <summary>The lesson as markdown.</summary>
    /// <param name="title">A short name.</param>
    /// <param name="when">When it applies.</param>
    /// <param name="action">What to do.</param>
    /// <param name="eventIds">The supporting events.</param>
    /// <param name="evidence">The session of each event and the task of each session.</param>
    /// <param name="sessionsRead">How many sessions the dream read.</param>
    /// <param name="dreamId">The dream writing it.</param>
    public static string Render(string title, string when, string action, IReadOnlyList<string> eventIds, DreamEvidence evidence, int sessionsRead, string dreamId)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        ArgumentNullException.ThrowIfNull(evidence);
        var bySession = eventIds.Distinct(StringComparer.Ordinal)
            .Where(evidence.Contains)
            .GroupBy(evidence.SessionOf, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        var text = new StringBuilder();
        text.Append("# ").Append(OneLine(title)).Append("\n\n");
        text.Append("**When it applies:** ").Append(when.Trim()).Append("\n\n");
        text.Append("**What to do:** ").Append(action.Trim()).Append("\n\n");
        text.Append(CultureInfo.InvariantCulture,
            $"{EvidenceLabel} seen in {bySession.Count} of {sessionsRead} sessions read by dream `{dreamId}` ({bySession.Sum(g => g.Count())} events):\n");
        foreach (var group in bySession)
        {
            text.Append("- `").Append(group.Key).Append("`: ").AppendJoin(", ", group.Select(e => $"`{e}`")).Append('\n');
        }

        var tasks = evidence.TasksOf(eventIds);
        if (tasks.SpecificTask is { } task)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"\n{TaskSpecificLabel} all its evidence comes from task `{task}`, so only that task's sessions list it. Move it out of `{TaskLessons.Root}` if it holds for other tasks too.\n");
        }
        else if (tasks.Tasks.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"\n**Tasks:** its evidence spans {tasks.Tasks.Count} tasks{(tasks.AllNamed ? "" : " (and sessions that named none)")}: {string.Join(", ", tasks.Tasks.Take(20).Select(t => $"`{t}`"))}{(tasks.Tasks.Count > 20 ? ", …" : "")}.\n");
        }

        return text.ToString();
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
