using System.Text.Json;
using Lucid.Events;
using Lucid.Outcomes;
using Lucid.Telemetry;
using Lucid.Tools;
using Microsoft.Extensions.Logging;

namespace Lucid.Sessions;

/// <summary>
/// Runs the turns of one log: model request, the tool calls it asks for, again until the model stops calling tools or
/// the turn reaches its limit on tool use; an outcome in progress is graded at the turn's end and a revision continues
/// the same turn. Every step is committed through the runner's log, and traced (<see cref="TurnTelemetry"/>).
/// </summary>
internal sealed class TurnLoop : IAsyncDisposable
{
    private readonly SessionRunner _log;
    private readonly EngineParts _parts;
    private readonly ILogger _logger;
    private readonly TurnContextFactory _contexts;
    private readonly OutcomeEvaluator _outcomes;
    private readonly ContextCompactor _compactor;
    private readonly TurnTelemetry _telemetry;

    public TurnLoop(SessionRunner runner, EngineParts parts, Session? session, ILogger logger)
    {
        _log = runner;
        _parts = parts;
        _logger = logger;
        _contexts = new TurnContextFactory(runner, parts, session);
        _telemetry = new TurnTelemetry(runner.LogId, parts.Time, parts.Options.Telemetry);
        _outcomes = new OutcomeEvaluator(runner, parts.Models, parts.Options.Catalog, parts.Options.OutcomeHeartbeatInterval, parts.Time, _telemetry, logger);
        _compactor = new ContextCompactor(runner, parts, logger);
    }

    /// <summary>Runs one turn; <paramref name="resume"/> when it redoes a turn cut off by a restart.</summary>
    public async Task RunAsync(bool resume, CancellationToken cancellationToken)
    {
        _telemetry.StartTurn();
        try
        {
            await RunTurnAsync(resume, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _telemetry.Fail(ex.GetType().FullName ?? ex.GetType().Name);
            throw;
        }
        finally
        {
            _telemetry.EndTurn();
        }
    }

    private async Task RunTurnAsync(bool resume, CancellationToken cancellationToken)
    {
        // Running is recorded before anything can fail, so a failure to load the turn's context (recorded by the
        // runner as an error and an idle) ends a turn that visibly began; a lead waiting on a thread reads it.
        await _log.AppendAsync([new SessionStatusRunningEvent()], cancellationToken);
        var context = await _contexts.CreateAsync(cancellationToken);
        if (resume)
        {
            await CloseCutOffWorkAsync();
        }

        if (context.IsSuccess)
        {
            _telemetry.Describe(context.Value);
        }
        else
        {
            await FailTurnAsync(new SessionError("model_request_failed_error", context.Error.Message, RetryStatus.Terminal), StopReason.EndTurn);
            return;
        }

        // A grading cut off by the restart is done again before anything else: the deliverable is already there.
        if (resume
            && await _log.ReadAsync(c => c.EvaluationOpen ? c.Outcome : null, cancellationToken) is { } cutOff
            && await _outcomes.EvaluateAsync(cutOff, context.Value, cancellationToken) is not (OutcomeResult.NeedsRevision or OutcomeResult.MaxIterationsReached))
        {
            await _log.AppendAsync([new SessionStatusIdleEvent { StopReason = StopReason.EndTurn }], CancellationToken.None);
            return;
        }

        // A server that cannot be reached, or whose credential fails, leaves its tools out of this turn; the next turn
        // tries it again.
        if (context.Value.McpFailures.Count > 0)
        {
            await _log.AppendAsync(
                [.. context.Value.McpFailures.Select(f => (SessionEvent)new SessionErrorEvent
                {
                    Error = new SessionError(f.Authentication ? "mcp_authentication_failed_error" : "mcp_connection_failed_error", f.Error, RetryStatus.Retrying) { McpServerName = f.Server },
                })],
                CancellationToken.None);
        }

        await LoopAsync(context.Value, cancellationToken);
    }

    private async Task LoopAsync(TurnContext context, CancellationToken cancellationToken)
    {
        var rounds = 0;
        var cutOffInARow = 0;
        while (true)
        {
            var pending = await _log.ReadAsync(c => c.Pending.ToList(), cancellationToken);
            foreach (var call in pending)
            {
                if (call.Confirmation is { } confirmation)
                {
                    await CarryOutConfirmationAsync(call, confirmation, context, cancellationToken);
                }
            }

            var waiting = pending.Where(p => p.Confirmation is null).Select(p => p.EventId).ToList();
            if (waiting.Count > 0)
            {
                await _log.AppendAsync([new SessionStatusIdleEvent { StopReason = StopReason.RequiresAction(waiting) }], CancellationToken.None);
                return;
            }

            if (ToolUseLimit(rounds, cutOffInARow) is { } limit)
            {
                await StopAtLimitAsync(limit);
                return;
            }

            if (context.Budgeted && await BudgetReachedAsync(context, cancellationToken))
            {
                await _log.AppendAsync([new SessionUsageEvent(), new SessionStatusIdleEvent { StopReason = StopReason.BudgetReached }], CancellationToken.None);
                return;
            }

            var outcome = await _log.ReadAsync(c => c.Outcome, cancellationToken);
            if (outcome is { Baseline: null })
            {
                await _outcomes.RecordBaselineAsync(outcome, context.ToolContext.Directory.Root, cancellationToken);
            }

            if (await RequestAsync(context, cancellationToken) is not { } requested)
            {
                return;
            }

            var (response, messageIds) = requested;
            var (output, toRun, cutOffCalls) = await ModelResponseEvents.FromAsync(response, context, _log.Stamp, ReviewFor(context, cancellationToken), messageIds);
            var usesTools = output.Any(ToolResults.IsToolUse);
            var active = usesTools ? null : await _log.ReadAsync(c => c.Outcome, cancellationToken);
            if (!usesTools && active is null)
            {
                // The model is done and nothing is to be graded: the turn ends with its last output, in one commit.
                await _log.AppendAsync([.. output, new SessionStatusIdleEvent { StopReason = StopReason.EndTurn }], CancellationToken.None);
                return;
            }

            if (output.Count > 0)
            {
                await _log.AppendAsync(output, CancellationToken.None);
            }

            if (active is not null)
            {
                // With an outcome in progress, the turn's end is a deliverable to grade; a revision or the final
                // acknowledgment continues the same turn.
                if (await _outcomes.EvaluateAsync(active, context, cancellationToken) is OutcomeResult.NeedsRevision or OutcomeResult.MaxIterationsReached)
                {
                    continue;
                }

                await _log.AppendAsync([new SessionStatusIdleEvent { StopReason = StopReason.EndTurn }], CancellationToken.None);
                return;
            }

            foreach (var use in toRun)
            {
                await RunCallAsync(use, context, cancellationToken);
            }

            // A response whose one call was cut off ran nothing: it is no round, and such responses are counted in a row.
            (rounds, cutOffInARow) = cutOffCalls == 1 ? (rounds, cutOffInARow + 1) : (rounds + 1, 0);
        }
    }

    // A call under the auto policy is shown to the reviewer with the agent's system prompt and what it was asked to do.
    private ModelResponseEvents.Review ReviewFor(TurnContext context, CancellationToken cancellationToken) => async (tool, server, input) =>
    {
        var task = await _log.ReadAsync(c => c.TaskMessages.ToList(), cancellationToken);
        return await context.Reviewer.ReviewAsync(new Permissions.ToolCallReview(tool, server, input, context.SystemPrompt, task), cancellationToken);
    };

    // The limit on tool use the turn has reached, or null: its rounds, or the responses in a row whose one call was cut off.
    private SessionError? ToolUseLimit(int rounds, int cutOffInARow)
    {
        var options = _parts.Options;
        return rounds >= options.MaxToolUseRoundsPerTurn
            ? SessionErrors.ToolUseLimitReached(
                $"The turn reached its limit of {options.MaxToolUseRoundsPerTurn} tool-use rounds (a model response that calls tools, plus running them, is one round) and stopped; send a message to continue.")
            : cutOffInARow >= options.MaxCutOffToolCallsInARow
            ? SessionErrors.ToolUseLimitReached(
                $"The model's last {cutOffInARow} responses each requested a single tool call that its output limit cut off before the call was complete; none of them ran, and the turn stopped. Ask for smaller steps, or allow more output tokens.")
            : null;
    }

    // A session with a budget makes no model request once its list cost has reached the budget, counting every thread's
    // requests (the session's row sums them), nor on a model without list prices, which the budget cannot measure. The
    // row is read before each request, so a budget raised or removed meanwhile counts at once.
    private async Task<bool> BudgetReachedAsync(TurnContext context, CancellationToken cancellationToken) =>
        await _parts.Store.GetSessionAsync(context.SessionId, cancellationToken) is { Budget: { } budget } session
        && (!context.ModelInfo.IsPriced || budget.IsReachedBy(session.Usage.ListCostUsd));

    // The turn ends as the API says of tool_use_limit_reached_error: idle with retries_exhausted, and a child thread then
    // terminates, with the threads it started.
    private async Task StopAtLimitAsync(SessionError limit)
    {
        var thread = await _log.ThreadAsync(CancellationToken.None);
        _telemetry.Fail(limit.Type);
        await _log.AppendAsync(
            [new SessionErrorEvent { Error = limit }, new SessionStatusIdleEvent { StopReason = StopReason.RetriesExhausted }, .. thread is null ? [] : new SessionEvent[] { new SessionStatusTerminatedEvent() }],
            CancellationToken.None);
        if (thread is not null)
        {
            await _parts.Threads.TerminateAsync(thread.SessionId, thread.Id, CancellationToken.None);
        }
    }

    // One model request, streamed so that live subscribers see its messages grow (MessagePreviews), with the IDs the
    // previewed messages are to be committed under; the context compacted first when it nears the window; a provider's
    // "prompt is too long" gets a forced compaction and one retry. Null when the request (or a summary for the
    // compaction) failed and the turn was ended.
    private async Task<(Microsoft.Extensions.AI.ChatResponse Response, IReadOnlyList<string?> MessageIds)?> RequestAsync(TurnContext context, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (attempt == 0)
                {
                    await _compactor.CompactAsync(context, force: false, cancellationToken);
                }

                var messages = await _log.ReadAsync(context.Messages, cancellationToken);
                try
                {
                    var previews = new MessagePreviews(_parts.Events, _log.LogId, _parts.Ids);
                    var response = await previews.StreamAsync(context.Client, messages, context.ChatOptions, cancellationToken);
                    _compactor.Observe(context, messages, response.Usage);
                    return (response, previews.MessageIds);
                }
                catch (Models.ModelRequestException ex) when (ex.Kind == Models.ModelErrorKind.ContextTooLong && attempt == 0)
                {
                    // The window is what the provider stated, or at most the size of the request it refused.
                    _compactor.Learn(context.Agent.Model, ex.ContextWindow ?? ContextCompactor.Estimate(context, messages));
                    if (!await _compactor.CompactAsync(context, force: true, cancellationToken))
                    {
                        throw;
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                SessionLog.ModelRequestFailed(_logger, ex, _log.LogId);
                await FailTurnAsync(SessionErrors.From(ex), StopReason.RetriesExhausted);
                return null;
            }
        }
    }

    private async Task CarryOutConfirmationAsync(PendingToolCall call, UserToolConfirmationEvent confirmation, TurnContext context, CancellationToken cancellationToken)
    {
        var mcp = call.McpServerName is not null;
        if (confirmation.Result == ToolConfirmationResult.Deny)
        {
            var reason = string.IsNullOrWhiteSpace(confirmation.DenyMessage) ? "" : $" Reason: {confirmation.DenyMessage}";
            await AnswerAsync(call.EventId, mcp, $"The user denied this tool call.{reason}");
        }
        else if (call.McpServerName is { } server && context.Mcp is { } toolbox)
        {
            await RunMcpAsync(call.EventId, toolbox, server, call.Name, call.Input, context, cancellationToken);
        }
        else if (!mcp && context.Tools.TryGetValue(call.Name, out var tool))
        {
            await RunToolAsync(call.EventId, tool.Tool, call.Input, context, cancellationToken);
        }
        else
        {
            await AnswerAsync(call.EventId, mcp, $"The tool '{call.Name}' is no longer available.");
        }
    }

    private Task RunCallAsync(SessionEvent use, TurnContext context, CancellationToken cancellationToken) => use switch
    {
        AgentToolUseEvent builtIn => RunToolAsync(builtIn.Id, context.Tools[builtIn.Name].Tool, builtIn.Input, context, cancellationToken),
        AgentMcpToolUseEvent mcp when context.Mcp is { } toolbox => RunMcpAsync(mcp.Id, toolbox, mcp.McpServerName, mcp.Name, mcp.Input, context, cancellationToken),
        _ => throw new InvalidOperationException($"{use.Type} is not a call Lucid runs."),
    };

    // An MCP call never throws but for cancellation: the server's errors, a timeout and a dead server are error results.
    // Results are logged (and shown to the model) with the session's vault secrets redacted.
    private async Task RunMcpAsync(string useId, Mcp.McpToolbox toolbox, string server, string tool, JsonElement input, TurnContext context, CancellationToken cancellationToken)
    {
        var span = _telemetry.StartTool(tool, useId, input, server);
        var result = await toolbox.CallAsync(server, tool, input, cancellationToken);
        var content = result.Content.Select(b => b is TextBlock text ? new TextBlock(context.Redact(text.Text)) : b).ToList();
        _telemetry.EndTool(span, tool, result.IsError, content);
        await _log.AppendAsync([new AgentMcpToolResultEvent { McpToolUseId = useId, Content = content, IsError = result.IsError }], CancellationToken.None);
    }

    private async Task RunToolAsync(string toolUseId, BuiltInTool tool, JsonElement input, TurnContext context, CancellationToken cancellationToken)
    {
        var span = _telemetry.StartTool(tool.Name, toolUseId, input);
        var result = await tool.InvokeAsync(input, context.ToolContext, cancellationToken);
        var content = context.Redact(result.Content);
        _telemetry.EndTool(span, tool.Name, mcp: false, result.IsError, content);
        await _log.AppendAsync(
            [new AgentToolResultEvent { ToolUseId = toolUseId, Content = [new TextBlock(content)], IsError = result.IsError }],
            CancellationToken.None);
    }

    private async Task AnswerAsync(string toolUseId, bool mcp, string error) =>
        await _log.AppendAsync([ToolResults.Error(toolUseId, mcp, error)], CancellationToken.None);

    /// <summary>Answers the open calls of a turn that the user interrupted, and records the turn's end.</summary>
    public async Task CloseInterruptedTurnAsync()
    {
        var closing = await _log.ReadAsync(OpenToolCalls.Interrupted, CancellationToken.None);
        closing.Add(new SessionStatusIdleEvent { StopReason = StopReason.EndTurn });
        await _log.AppendAsync(closing, CancellationToken.None);
    }

    /// <summary>Answers the calls an interrupt abandoned (those waiting for the client included), if any.</summary>
    public async Task AbandonPendingCallsAsync(CancellationToken cancellationToken)
    {
        var closing = await _log.ReadAsync(OpenToolCalls.Interrupted, cancellationToken);
        if (closing.Count > 0)
        {
            closing.Add(new SessionStatusIdleEvent { StopReason = StopReason.EndTurn });
            await _log.AppendAsync(closing, cancellationToken);
        }
    }

    // After a restart: the model request that was cut off gets its end, and a tool call whose result was never committed
    // is not run again, since it may have had side effects; the agent is told its outcome is unknown and decides.
    private async Task CloseCutOffWorkAsync()
    {
        var closing = await _log.ReadAsync(OpenToolCalls.CutOff, CancellationToken.None);
        if (closing.Count > 0)
        {
            await _log.AppendAsync(closing, CancellationToken.None);
        }
    }

    private async Task FailTurnAsync(SessionError error, StopReason stopReason)
    {
        _telemetry.Fail(error.Type);
        await _log.AppendAsync([new SessionErrorEvent { Error = error }, new SessionStatusIdleEvent { StopReason = stopReason }], CancellationToken.None);
    }

    /// <summary>Closes the session's MCP connections (and stops its stdio servers).</summary>
    public ValueTask DisposeAsync() => _contexts.DisposeAsync();
}
