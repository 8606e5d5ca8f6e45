using System.Text.Json;
using Lucid.Events;
using Lucid.Outcomes;
using Lucid.Sessions;

namespace Lucid.Core.Tests.Dreams;

/// <summary>Builds a session's log by hand, event by event, for digest and mining tests.</summary>
internal sealed class SeededLog(string sessionId)
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private int _next;

    public string SessionId { get; } = sessionId;

    public List<LoggedEvent> Events { get; } = [];

    /// <summary>The task the session names (<see cref="SessionTasks.TaskIdKey"/>) when <see cref="Session"/> is given no metadata.</summary>
    public string? TaskId { get; init; }

    public Session Session(IReadOnlyDictionary<string, string>? metadata = null) => new()
    {
        Id = SessionId,
        AgentId = "agent_seeded",
        AgentVersion = 1,
        EnvironmentId = "env_seeded",
        WorkDirectory = "/tmp/seeded",
        Metadata = metadata ?? (TaskId is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [SessionTasks.TaskIdKey] = TaskId }),
        CreatedAt = Start,
        UpdatedAt = Start,
    };

    public string User(string text) => Add(new UserMessageEvent { Content = [new TextBlock(text)] });

    public string ToolUse(string tool, string input) =>
        Add(new AgentToolUseEvent { Name = tool, Input = JsonElement.Parse(input), EvaluatedPermission = ToolPermissions.Allow });

    public string ToolResult(string toolUseId, string text, bool isError = false) =>
        Add(new AgentToolResultEvent { ToolUseId = toolUseId, Content = [new TextBlock(text)], IsError = isError });

    public string Call(string tool, string input, string result, bool isError = false)
    {
        var use = ToolUse(tool, input);
        ToolResult(use, result, isError);
        return use;
    }

    public string ModelRequest(long input, long output, bool isError = false)
    {
        var start = Add(new SpanModelRequestStartEvent { Model = "scripted/worker" });
        return Add(new SpanModelRequestEndEvent { ModelRequestStartId = start, IsError = isError, ModelUsage = new SessionUsage { InputTokens = input, OutputTokens = output } });
    }

    public string Evaluation(int iteration, OutcomeResult result, string explanation, params OutcomeFinding[] findings)
    {
        var start = Add(new SpanOutcomeEvaluationStartEvent { OutcomeId = "outc_seeded", Iteration = iteration });
        return Add(new SpanOutcomeEvaluationEndEvent
        {
            OutcomeId = "outc_seeded",
            OutcomeEvaluationStartId = start,
            Iteration = iteration,
            Result = result,
            Explanation = explanation,
            Findings = findings,
        });
    }

    public string Add(SessionEvent e)
    {
        var id = $"sevt_{SessionId}_{++_next:D3}";
        Events.Add(new LoggedEvent(SessionId, _next, e with { Id = id, ProcessedAt = Start.AddSeconds(_next) }));
        return id;
    }
}
