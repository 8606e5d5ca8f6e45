using System.Globalization;
using System.Text;

namespace Lucid.Dreams;

/// <summary>
/// Renders a lesson as markdown a person can read: when it applies, what to do, and its evidence — the sessions and
/// events it came from, with counts — so a console or the CLI can link it to the moment in a transcript.
/// </summary>
internal static class LessonMarkdown
{
    /// <summary>The heading of a lesson's evidence section.</summary>
    public const string EvidenceLabel = "**Evidence:**";

    /// <summary>The lesson as markdown.</summary>
    /// <param name="title">A short name.</param>
    /// <param name="when">When it applies.</param>
    /// <param name="action">What to do.</param>
    /// <param name="eventIds">The supporting events.</param>
    /// <param name="sessionOf">The session of each event.</param>
    /// <param name="sessionsRead">How many sessions the dream read.</param>
    /// <param name="dreamId">The dream writing it.</param>
    public static string Render(string title, string when, string action, IReadOnlyList<string> eventIds, IReadOnlyDictionary<string, string> sessionOf, int sessionsRead, string dreamId)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        ArgumentNullException.ThrowIfNull(sessionOf);
        var bySession = eventIds.Distinct(StringComparer.Ordinal)
            .Where(sessionOf.ContainsKey)
            .GroupBy(e => sessionOf[e], StringComparer.Ordinal)
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

        return text.ToString();
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
