using System.Diagnostics;
using System.Text.Json;
using Lucid.Events;
using Lucid.Outcomes;
using Lucid.Sessions;

namespace Lucid.Telemetry;

/// <summary>
/// The telemetry of one log's turns, kept by its turn loop (turns of a log run one at a time): an <c>invoke_agent</c>
/// span per turn with an <c>execute_tool</c> span per tool call Lucid runs and a <c>gen_ai.evaluation.result</c> event per
/// outcome verdict; the running count and the turn's duration. With no listener no span starts, and attributes are set
/// only on spans that record them.
/// </summary>
internal sealed class TurnTelemetry(LogId logId, TimeProvider time, TelemetryOptions options)
{
    private readonly string _kind = logId.IsThread ? "thread" : "session";
    private Activity? _turn;
    private long _started;
    private string? _model;

    /// <summary>Starts a turn's span (a root: a runner carries no request's context) and counts the log as running.</summary>
    public void StartTurn()
    {
        _started = time.GetTimestamp();
        _model = null;
        _turn = LucidTelemetry.Source.StartActivity(GenAiAttributes.InvokeAgent, ActivityKind.Internal);
        if (_turn is { IsAllDataRequested: true })
        {
            _turn.SetTag(GenAiAttributes.OperationName, GenAiAttributes.InvokeAgent);
            _turn.SetTag(GenAiAttributes.ConversationId, logId.IsThread ? null : logId.Value);
            _turn.SetTag(GenAiAttributes.ThreadId, logId.IsThread ? logId.Value : null);
        }

        LucidMetrics.TurnStarted(_kind);
    }

    /// <summary>Names the turn's agent, model and session once its context is loaded.</summary>
    public void Describe(TurnContext context)
    {
        _model = context.Agent.Model;
        if (_turn is { IsAllDataRequested: true } turn)
        {
            turn.DisplayName = $"{GenAiAttributes.InvokeAgent} {context.Agent.Name}";
            turn.SetTag(GenAiAttributes.AgentName, context.Agent.Name);
            turn.SetTag(GenAiAttributes.AgentId, context.Agent.Id);
            turn.SetTag(GenAiAttributes.AgentVersion, context.Agent.Version);
            turn.SetTag(GenAiAttributes.RequestModel, context.Agent.Model);
            turn.SetTag(GenAiAttributes.ConversationId, context.SessionId);
        }
    }

    /// <summary>Marks the turn as failed with the error it recorded.</summary>
    public void Fail(string errorType)
    {
        if (_turn is { IsAllDataRequested: true } turn)
        {
            turn.SetStatus(ActivityStatusCode.Error);
            turn.SetTag(GenAiAttributes.ErrorType, errorType);
        }
    }

    /// <summary>Ends the turn's span and records its duration.</summary>
    public void EndTurn()
    {
        _turn?.Dispose();
        _turn = null;
        LucidMetrics.TurnEnded(_kind, _model, time.GetElapsedTime(_started));
    }

    /// <summary>Starts the span of a tool call Lucid runs (built-in, thread or MCP); null when nobody listens.</summary>
    public Activity? StartTool(string tool, string callId, JsonElement input, string? mcpServer = null)
    {
        var span = LucidTelemetry.Source.StartActivity($"{GenAiAttributes.ExecuteTool} {tool}", ActivityKind.Internal);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(GenAiAttributes.OperationName, GenAiAttributes.ExecuteTool);
            span.SetTag(GenAiAttributes.ToolName, tool);
            span.SetTag(GenAiAttributes.ToolCallId, callId);
            span.SetTag(GenAiAttributes.ToolType, mcpServer is null ? "function" : "extension");
            span.SetTag(GenAiAttributes.McpServerName, mcpServer);
            if (options.IncludeContent)
            {
                span.SetTag(GenAiAttributes.ToolCallArguments, input.GetRawText());
            }
        }

        return span;
    }

    /// <summary>Ends a tool call's span; an error result marks it (and counts) as an error.</summary>
    public void EndTool(Activity? span, string tool, bool mcp, bool isError, string result)
    {
        if (isError)
        {
            LucidMetrics.ToolFailed(tool, mcp ? "extension" : "function");
        }

        if (span is { IsAllDataRequested: true })
        {
            if (isError)
            {
                span.SetStatus(ActivityStatusCode.Error);
                span.SetTag(GenAiAttributes.ErrorType, "tool_error");
            }

            if (options.IncludeContent)
            {
                span.SetTag(GenAiAttributes.ToolCallResult, result);
            }
        }

        span?.Dispose();
    }

    /// <inheritdoc cref="EndTool(Activity?, string, bool, bool, string)"/>
    public void EndTool(Activity? span, string tool, bool isError, IReadOnlyList<ContentBlock> result) =>
        EndTool(span, tool, mcp: true, isError, span is { IsAllDataRequested: true } && options.IncludeContent ? string.Concat(result.OfType<TextBlock>().Select(b => b.Text)) : "");

    /// <summary>Records an outcome's verdict as a <c>gen_ai.evaluation.result</c> event on the turn's span.</summary>
    public void Evaluated(SpanOutcomeEvaluationEndEvent end)
    {
        if (_turn is not { IsAllDataRequested: true } turn)
        {
            return;
        }

        var tags = new ActivityTagsCollection
        {
            [GenAiAttributes.EvaluationName] = "outcome",
            [GenAiAttributes.EvaluationScoreLabel] = end.Result.ToWire(),
            [GenAiAttributes.OutcomeId] = end.OutcomeId,
            [GenAiAttributes.OutcomeIteration] = end.Iteration,
        };
        if (options.IncludeContent)
        {
            tags[GenAiAttributes.EvaluationExplanation] = end.Explanation;
        }

        turn.AddEvent(new ActivityEvent(GenAiAttributes.EvaluationResultEvent, tags: tags));
    }
}
