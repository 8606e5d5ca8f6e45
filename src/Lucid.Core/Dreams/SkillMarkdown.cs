using System.Globalization;
using System.Text;

namespace Lucid.Dreams;

/// <summary>
/// Renders a skill a dream proposes as its <c>SKILL.md</c>: front matter with its name and description, when to use it,
/// the numbered steps, and the sessions and events it came from, so a person can open the workflow in the transcripts.
/// </summary>
internal static class SkillMarkdown
{
    /// <summary>The SKILL.md text.</summary>
    /// <param name="name">The skill's name.</param>
    /// <param name="description">What it does and when to use it, on one line.</param>
    /// <param name="when">When to use it.</param>
    /// <param name="steps">The steps, in order.</param>
    /// <param name="eventIds">The cited events.</param>
    /// <param name="evidence">The session of each event and the task of each session.</param>
    /// <param name="workflow">The mined workflow the skill follows.</param>
    /// <param name="dreamId">The dream proposing it.</param>
    public static string Render(
        string name, string description, string when, IReadOnlyList<string> steps, IReadOnlyList<string> eventIds, DreamEvidence evidence, WorkflowPattern workflow, string dreamId)
    {
        var bySession = eventIds.Distinct(StringComparer.Ordinal)
            .Where(evidence.Contains)
            .GroupBy(evidence.SessionOf, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        var tasks = evidence.TasksOf(eventIds);
        var text = new StringBuilder("---\n");
        text.Append("name: ").Append(name).Append('\n');
        text.Append("description: \"").Append(OneLine(description).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\"\n");
        text.Append("---\n\n");
        text.Append("# ").Append(name).Append("\n\n");
        text.Append("## When to use\n\n").Append(when.Trim()).Append("\n\n");
        text.Append("## Steps\n\n");
        for (var i = 0; i < steps.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i + 1}. {OneLine(steps[i])}\n");
        }

        text.Append(CultureInfo.InvariantCulture,
            $"\n## Evidence\n\nProposed by dream `{dreamId}` from the workflow `{workflow.Sequence}`, which succeeded in {workflow.Sessions} sessions{(tasks.Tasks.Count > 0 ? $" of {workflow.Tasks} tasks" : "")}. Cited here: {bySession.Count} sessions ({bySession.Sum(g => g.Count())} events):\n\n");
        foreach (var group in bySession)
        {
            text.Append("- `").Append(group.Key).Append("`: ").AppendJoin(", ", group.Select(e => $"`{e}`")).Append('\n');
        }

        return text.ToString();
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
