using Lucid.Events;

namespace Lucid.Server.WebConsole.Parts;

/// <summary>One bar of a timeline lane: a model request, a tool call or an outcome evaluation, from its start to its end.</summary>
/// <param name="Kind"><c>model</c>, <c>tool</c> or <c>outcome</c>.</param>
/// <param name="Label">What it was, for its tooltip and screen readers.</param>
/// <param name="Start">When it began.</param>
/// <param name="End">When it ended, or null while it runs.</param>
/// <param name="EventId">The event that began it, so the bar links into the transcript.</param>
/// <param name="IsError">Whether it ended in an error.</param>
public sealed record TimelineBar(string Kind, string Label, DateTimeOffset Start, DateTimeOffset? End, string EventId, bool IsError);

/// <summary>One lane of a session's timeline: the primary thread's, or a thread's, with a link to its transcript.</summary>
/// <param name="Name">The thread's agent, or "Primary".</param>
/// <param name="Href">Its transcript page.</param>
/// <param name="Bars">Its bars, in the order they began.</param>
public sealed record TimelineLane(string Name, string Href, IReadOnlyList<TimelineBar> Bars);

/// <summary>Pairs a log's start and end events into timeline bars.</summary>
internal static class Timeline
{
    /// <summary>The event types a timeline reads: everything else is left in the store.</summary>
    public static readonly IReadOnlySet<string> Types = new HashSet<string>(StringComparer.Ordinal)
    {
        "span.model_request_start", "span.model_request_end", "agent.tool_use", "agent.tool_result", "agent.mcp_tool_use", "agent.mcp_tool_result",
        "agent.custom_tool_use", "user.custom_tool_result", "span.outcome_evaluation_start", "span.outcome_evaluation_end",
    };

    /// <summary>The most bars a lane draws; past it, neighbours of one kind are drawn as one (the page stays small).</summary>
    public const int MostBarsPerLane = 400;

    /// <summary>
    /// Joins neighbouring bars of one kind that lie closer than one <paramref name="span"/>/<see cref="MostBarsPerLane"/>
    /// apart, when a lane has more than <see cref="MostBarsPerLane"/> bars: at that zoom they would overlap anyway, and a
    /// joined bar says how many it stands for.
    /// </summary>
    public static IReadOnlyList<TimelineBar> Coalesce(IReadOnlyList<TimelineBar> bars, DateTimeOffset end, TimeSpan span)
    {
        if (bars.Count <= MostBarsPerLane)
        {
            return bars;
        }

        var gap = span / MostBarsPerLane;
        var joined = new List<TimelineBar>();
        var counts = new List<int>();
        foreach (var kind in bars.GroupBy(b => b.Kind))
        {
            foreach (var bar in kind.OrderBy(b => b.Start))
            {
                var last = joined.Count - 1;
                if (last >= 0 && joined[last].Kind == bar.Kind && bar.Start - (joined[last].End ?? end) < gap)
                {
                    var endAt = bar.End is null || joined[last].End is null ? null : (DateTimeOffset?)Max(bar.End.Value, joined[last].End!.Value);
                    joined[last] = joined[last] with { End = endAt, IsError = joined[last].IsError || bar.IsError };
                    counts[last]++;
                }
                else
                {
                    joined.Add(bar);
                    counts.Add(1);
                }
            }
        }

        return [.. joined.Select((b, i) => counts[i] == 1 ? b : b with { Label = $"{counts[i]} × {KindName(b.Kind)} from {Show.Time(b.Start)}" })];
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string KindName(string kind) => kind switch
    {
        "model" => "model requests",
        "tool" => "tool calls",
        _ => "outcome evaluations",
    };

    public static IReadOnlyList<TimelineBar> Bars(IEnumerable<LoggedEvent> events)
    {
        var bars = new List<TimelineBar>();
        var open = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var logged in events)
        {
            switch (logged.Event)
            {
                case SpanModelRequestStartEvent start:
                    Open(start, new TimelineBar("model", "Model request" + (start.Model is null ? "" : " · " + start.Model), start.ProcessedAt, null, start.Id, false));
                    break;
                case SpanModelRequestEndEvent end:
                    Close(end.ModelRequestStartId, end.ProcessedAt, end.IsError, $" · {Show.Usage(end.ModelUsage)}");
                    break;
                case AgentToolUseEvent use:
                    Open(use, new TimelineBar("tool", "Tool " + use.Name, use.ProcessedAt, null, use.Id, false));
                    break;
                case AgentToolResultEvent result:
                    Close(result.ToolUseId, result.ProcessedAt, result.IsError, result.IsError ? " · error" : "");
                    break;
                case AgentMcpToolUseEvent use:
                    Open(use, new TimelineBar("tool", $"Tool {use.McpServerName}/{use.Name}", use.ProcessedAt, null, use.Id, false));
                    break;
                case AgentMcpToolResultEvent result:
                    Close(result.McpToolUseId, result.ProcessedAt, result.IsError, result.IsError ? " · error" : "");
                    break;
                case AgentCustomToolUseEvent use:
                    Open(use, new TimelineBar("tool", "Custom tool " + use.Name, use.ProcessedAt, null, use.Id, false));
                    break;
                case UserCustomToolResultEvent result:
                    Close(result.CustomToolUseId, result.ProcessedAt, result.IsError, "");
                    break;
                case SpanOutcomeEvaluationStartEvent start:
                    Open(start, new TimelineBar("outcome", $"Outcome evaluation {start.Iteration + 1}", start.ProcessedAt, null, start.Id, false));
                    break;
                case SpanOutcomeEvaluationEndEvent end:
                    Close(end.OutcomeEvaluationStartId, end.ProcessedAt, false, " · " + Show.Name(end.Result));
                    break;
            }
        }

        return bars;

        void Open(SessionEvent start, TimelineBar bar)
        {
            open[start.Id] = bars.Count;
            bars.Add(bar);
        }

        void Close(string startId, DateTimeOffset at, bool error, string note)
        {
            if (open.Remove(startId, out var index))
            {
                bars[index] = bars[index] with { End = at, IsError = error, Label = bars[index].Label + note };
            }
        }
    }
}
