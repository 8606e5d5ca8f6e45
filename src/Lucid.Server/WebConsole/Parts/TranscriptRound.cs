using Lucid.Events;

namespace Lucid.Server.WebConsole.Parts;

/// <summary>A transcript's events grouped by model request: each round starts where a model request starts.</summary>
internal sealed record TranscriptRound(string Title, IReadOnlyList<LoggedEvent> Events)
{
    public static List<TranscriptRound> Group(IReadOnlyList<LoggedEvent> events, IReadOnlySet<string> shown)
    {
        var rounds = new List<TranscriptRound>();
        var current = new List<LoggedEvent>();
        var title = events.Count > 0 && events[0].Event is not SpanModelRequestStartEvent ? "Input and events" : "";
        foreach (var logged in events)
        {
            if (logged.Event is SpanModelRequestStartEvent start)
            {
                Flush();
                title = $"Model request at {Show.Time(start.ProcessedAt)}" + (start.Model is null ? "" : " · " + start.Model);
            }

            if (shown.Contains(logged.Event.Type))
            {
                current.Add(logged);
            }
        }

        Flush();
        return rounds;

        void Flush()
        {
            if (current.Count > 0)
            {
                rounds.Add(new TranscriptRound(title.Length > 0 ? title : "Events", current));
                current = [];
            }
        }
    }
}
