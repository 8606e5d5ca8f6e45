using System.Text.Json;
using Lucid.Events;
using Lucid.Outcomes;
using Lucid.Sessions;

namespace Lucid.Benchmarks;

/// <summary>
/// Generated sessions for the digest-and-mine benchmark: each has a task, then turns of a model request, a tool call
/// and its result (one in six fails with one of a few recurring errors, then is fixed; one in ten reads memory), a
/// message, and an outcome evaluation at the end; every session has exactly the requested number of events.
/// </summary>
internal static class GeneratedSessions
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly string[] Tools = ["search_flights", "get_reservation", "update_reservation", "book_reservation", "calculate"];
    private static readonly string[] Errors =
    [
        "Error: flight HAT{0:D3} not available on date 2024-05-{1:D2}",
        "Error: payment amount does not add up, total price is {0}, but paid {1}",
        "Error: not enough seats on flight HAT{0:D3}",
    ];

    public static Session Session(int index) => new()
    {
        Id = $"sesn_bench{index:D5}",
        AgentId = "agent_bench",
        AgentVersion = 1,
        EnvironmentId = "env_bench",
        WorkDirectory = "/tmp/bench",
        CreatedAt = Start,
        UpdatedAt = Start,
    };

    public static List<SessionEvent> Events(int index, int count)
    {
        var random = new Random(index);
        var events = new List<SessionEvent>(count);
        var n = 0;
        string Id() => $"sevt_b{index:D5}_{++n:D5}";
        events.Add(new UserMessageEvent { Id = Id(), Content = [new TextBlock($"Task {index}: change reservation {index:X6} to a later flight and pay the difference.")] });
        var failing = false;
        while (events.Count + 6 <= count - 2)
        {
            var start = Id();
            events.Add(new SpanModelRequestStartEvent { Id = start, Model = "bench" });
            events.Add(new SpanModelRequestEndEvent { Id = Id(), ModelRequestStartId = start, ModelUsage = new SessionUsage { InputTokens = 1200 + random.Next(800), OutputTokens = 80 + random.Next(120) } });
            var tool = Tools[random.Next(Tools.Length)];
            var memory = random.Next(10) == 0;
            var input = memory
                ? JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["file_path"] = $"/mnt/memory/airline/{tool}.md" })
                : JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["reservation_id"] = $"R{index:X5}", ["amount"] = failing ? 300 : random.Next(100, 999), ["cabin"] = "economy" });
            var use = Id();
            events.Add(new AgentToolUseEvent { Id = use, Name = memory ? "read" : tool, Input = input, EvaluatedPermission = ToolPermissions.Allow });
            var fail = !memory && !failing && random.Next(6) == 0;
            var text = fail
                ? string.Format(System.Globalization.CultureInfo.InvariantCulture, Errors[random.Next(Errors.Length)], random.Next(1000), random.Next(1, 28))
                : memory ? "Recalled lesson text that must not reach the digest." : $"{{\"status\":\"ok\",\"reservation\":\"R{index:X5}\",\"flights\":[\"HAT{random.Next(1000):D3}\"]}}";
            events.Add(new AgentToolResultEvent { Id = Id(), ToolUseId = use, Content = [new TextBlock(text)], IsError = fail });
            failing = fail;
            events.Add(new AgentMessageEvent { Id = Id(), Content = [new TextBlock("Checked; continuing with the next step of the change.")] });
            events.Add(new SessionStatusIdleEvent { Id = Id(), StopReason = StopReason.EndTurn });
        }

        while (events.Count < count - 2)
        {
            events.Add(new AgentMessageEvent { Id = Id(), Content = [new TextBlock("Done.")] });
        }

        var evaluation = Id();
        events.Add(new SpanOutcomeEvaluationStartEvent { Id = evaluation, OutcomeId = $"outc_b{index}", Iteration = 0 });
        var satisfied = index % 5 < 2;
        events.Add(new SpanOutcomeEvaluationEndEvent
        {
            Id = Id(),
            OutcomeId = $"outc_b{index}",
            OutcomeEvaluationStartId = evaluation,
            Iteration = 0,
            Result = satisfied ? OutcomeResult.Satisfied : OutcomeResult.Failed,
            Explanation = satisfied ? "All criteria met." : "The fare difference was not collected.",
            Findings = satisfied ? [] : [new OutcomeFinding("collects the fare difference", "no payment call", false, "")],
        });
        return [.. events.Select((e, i) => e with { ProcessedAt = Start.AddMilliseconds(i) })];
    }
}
