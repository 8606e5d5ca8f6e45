using System.Text.Json;
using System.Threading.Channels;
using Lucid.Agents;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Memory;
using Lucid.Models;
using Lucid.Outcomes;
using Lucid.Results;
using Lucid.Threads;
using Lucid.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Lucid.Sessions;

/// <summary>
/// Drives one session, or one child thread of a session (when its key is a <c>sthr_</c> ID: the thread's own log,
/// agent and context; its statuses are written as <c>session.thread_status_*</c> and cross-posted to the session's
/// log): an actor whose mailbox holds the input events, already committed to the log. It
/// runs turns — model request, tool calls, again until the model stops calling tools — and commits every step as an
/// event. Only an interrupt bypasses the mailbox, to stop the running turn at once.
/// </summary>
internal sealed class SessionRunner : IAsyncDisposable
{
    private readonly string _sessionId;
    private readonly SessionHost _host;
    private readonly ILogger _logger;
    private readonly Channel<LoggedEvent> _mailbox = Channel.CreateUnbounded<LoggedEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _stateLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Conversation _conversation;
    private readonly bool _isThread;
    private readonly Lock _turnLock = new();
    private readonly Lock _mailboxLock = new();
    private readonly Task _loop;
    private readonly Dictionary<string, WorkspaceSnapshot> _snapshots = new(StringComparer.Ordinal);
    private CancellationTokenSource? _turn;
    private SessionThread? _thread;
    private long _turnStartSequence;
    private long _interruptSequence;
    private long _consumedSequence;

    public SessionRunner(string sessionId, SessionHost host, ILogger logger)
    {
        _sessionId = sessionId;
        _host = host;
        _logger = logger;
        _isThread = SessionThread.IsThreadId(sessionId);
        _conversation = new Conversation(_isThread ? sessionId : null);
        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Folds the log into the conversation, runs <paramref name="action"/> on it under the state lock.</summary>
    public async Task<T> WithConversationAsync<T>(Func<Conversation, Task<T>> action, CancellationToken cancellationToken)
    {
        await _stateLock.WaitAsync(cancellationToken);
        try
        {
            await SyncAsync(cancellationToken);
            return await action(_conversation);
        }
        finally
        {
            _stateLock.Release();
        }
    }

    /// <summary>The session this runner drives.</summary>
    public string SessionId => _sessionId;

    /// <summary>
    /// Queues committed input events for the runner. Returns false, queuing none, when the runner has retired for being
    /// idle; the host then hands them to a new runner.
    /// </summary>
    public bool Post(IReadOnlyList<LoggedEvent> inputs)
    {
        lock (_mailboxLock)
        {
            if (_mailbox.Reader.Completion.IsCompleted || !_mailbox.Writer.TryWrite(inputs[0]))
            {
                return false;
            }

            foreach (var input in inputs.Skip(1))
            {
                _mailbox.Writer.TryWrite(input);
            }
        }

        foreach (var input in inputs.Where(i => i.Event is UserInterruptEvent interrupt && IsOwn(interrupt)))
        {
            Interrupt(input.Sequence);
        }

        return true;
    }

    // An interrupt that names a child thread is recorded in the session's log but stops only that thread.
    private bool IsOwn(UserInterruptEvent interrupt) =>
        _isThread || interrupt.SessionThreadId is null || interrupt.SessionThreadId == SessionThread.PrimaryId(_sessionId);

    // Retires the runner if nothing waits in its mailbox; a Post that comes after finds it closed.
    private bool TryRetire()
    {
        lock (_mailboxLock)
        {
            return !_mailbox.Reader.TryPeek(out _) && _mailbox.Writer.TryComplete();
        }
    }

    private void Interrupt(long sequence)
    {
        lock (_turnLock)
        {
            _interruptSequence = Math.Max(_interruptSequence, sequence);
            if (_turn is not null && _turnStartSequence < sequence)
            {
                _turn.Cancel();
            }
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                // An idle runner retires after a while, so a long-lived server does not keep an actor per session ever used.
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                var ready = _mailbox.Reader.WaitToReadAsync(stopping).AsTask();
                var timeout = Task.Delay(_host.Options.RunnerIdleTimeout, _host.TimeProvider, idle.Token);
                if (await Task.WhenAny(ready, timeout) == timeout && TryRetire())
                {
                    _host.Retired(this);
                    return;
                }

                await idle.CancelAsync();
                if (!await ready)
                {
                    return;
                }

                while (_mailbox.Reader.TryRead(out var input))
                {
                    await HandleSafelyAsync(input, stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task HandleSafelyAsync(LoggedEvent input, CancellationToken stopping)
    {
        try
        {
            await HandleAsync(input, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A bug in the engine must not kill the session's actor: record it, go idle, keep serving.
            SessionLog.HandlingFailed(_logger, ex, _sessionId, input.Event.Type);
            try
            {
                await AppendAsync(
                    [
                        new SessionErrorEvent { Error = new SessionError("unknown_error", ex.Message, RetryStatus.Terminal) },
                        new SessionStatusIdleEvent { StopReason = StopReason.EndTurn },
                    ],
                    CancellationToken.None);
            }
            catch (Exception recordFailure)
            {
                // The store itself is failing (locked, full): the session stays as its log says, and the next start of
                // the server resumes it.
                SessionLog.HandlingFailed(_logger, recordFailure, _sessionId, "session.error");
            }
        }
    }

    private async Task HandleAsync(LoggedEvent input, CancellationToken stopping)
    {
        switch (input.Event)
        {
            case UserMessageEvent or UserDefineOutcomeEvent or AgentThreadMessageReceivedEvent when input.Sequence <= _consumedSequence || input.Sequence < Volatile.Read(ref _interruptSequence):
                // Already answered by an earlier turn that saw it, or interrupted before its turn began.
                return;
            case UserMessageEvent or UserDefineOutcomeEvent or AgentThreadMessageReceivedEvent:
                await RunTurnAsync(stopping);
                return;
            case UserInterruptEvent when _isThread:
                // A thread is interrupted only when its session is, and then it ends for good (once).
                if (!await WithConversationAsync(c => Task.FromResult(c.TerminationLogged), stopping))
                {
                    await AbandonPendingCallsAsync(stopping);
                    await AppendAsync([new SessionStatusTerminatedEvent()], CancellationToken.None);
                }

                return;
            case UserToolConfirmationEvent:
                // Several confirmations of one batch are carried out by the first turn; the later ones find nothing to do.
                if (await WithConversationAsync(c => Task.FromResult(c.Pending.Any(p => p.Confirmation is not null)), stopping))
                {
                    await RunTurnAsync(stopping);
                }

                return;
            case UserCustomToolResultEvent:
                if (await WithConversationAsync(c => Task.FromResult(c.Pending.All(p => p.Confirmation is not null)), stopping))
                {
                    await RunTurnAsync(stopping);
                }

                return;
            case UserInterruptEvent interrupt when IsOwn(interrupt):
                await AbandonPendingCallsAsync(stopping);
                return;
            case SessionStatusRescheduledEvent or SessionThreadStatusRescheduledEvent:
                await RunTurnAsync(stopping, resume: true);
                return;
        }
    }

    /// <summary>Records that the session's turn is redone after its process stopped, and queues the redo.</summary>
    public async Task<IReadOnlyList<LoggedEvent>> RescheduleAsync(CancellationToken cancellationToken) =>
        await AppendAsync([new SessionStatusRescheduledEvent()], cancellationToken);

    private async Task RunTurnAsync(CancellationToken stopping, bool resume = false)
    {
        using var turn = CancellationTokenSource.CreateLinkedTokenSource(stopping);

        // A thread that was interrupted ends for good: an input that reaches it afterwards (a lead's message that was
        // already on its way) runs no turn, and is answered with the thread's terminated status, which a lead waiting
        // on it reads (when the interrupt is still queued, its handling writes that status). An interrupt committed
        // after this read cancels the turn below.
        var (startSequence, ended, terminated) = await WithConversationAsync(c => Task.FromResult((c.Sequence, c.Ended, c.TerminationLogged)), stopping);
        if (ended)
        {
            if (terminated)
            {
                await AppendAsync([new SessionStatusTerminatedEvent()], CancellationToken.None);
            }

            return;
        }

        lock (_turnLock)
        {
            if (_interruptSequence > startSequence)
            {
                return;
            }

            _turn = turn;
            _turnStartSequence = startSequence;
        }

        _consumedSequence = startSequence;

        // Running is recorded before anything can fail, so a failure to load the turn's context (recorded by the
        // handler as an error and an idle) ends a turn that visibly began; a lead waiting on a thread reads it.
        await AppendAsync([new SessionStatusRunningEvent()], stopping);
        try
        {
            var context = await LoadContextAsync(stopping);
            if (resume)
            {
                await CloseCutOffWorkAsync();
            }

            if (!context.IsSuccess)
            {
                await FailTurnAsync(new SessionError("model_request_failed_error", context.Error.Message, RetryStatus.Terminal), StopReason.EndTurn);
                return;
            }

            // A grading cut off by the restart is done again before anything else: the deliverable is already there.
            if (resume
                && await WithConversationAsync(c => Task.FromResult(c.EvaluationOpen ? c.Outcome : null), turn.Token) is { } cutOff
                && await EvaluateAsync(cutOff, context.Value, turn.Token) is not (OutcomeResults.NeedsRevision or OutcomeResults.MaxIterationsReached))
            {
                await AppendAsync([new SessionStatusIdleEvent { StopReason = StopReason.EndTurn }], CancellationToken.None);
                return;
            }

            await LoopAsync(context.Value, turn.Token);
        }
        catch (OperationCanceledException) when (turn.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            await CloseInterruptedTurnAsync();
        }
        finally
        {
            lock (_turnLock)
            {
                _turn = null;
            }
        }
    }

    private async Task LoopAsync(TurnContext context, CancellationToken cancellationToken)
    {
        for (var request = 0; ; request++)
        {
            var pending = await WithConversationAsync(c => Task.FromResult(c.Pending.ToList()), cancellationToken);
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
                await AppendAsync([new SessionStatusIdleEvent { StopReason = StopReason.RequiresAction(waiting) }], CancellationToken.None);
                return;
            }

            if (request >= _host.Options.MaxModelRequestsPerTurn)
            {
                await FailTurnAsync(
                    new SessionError("unknown_error", $"The turn made {request} model requests, the most one turn may make; it was stopped.", RetryStatus.Terminal),
                    StopReason.EndTurn);
                return;
            }

            var response = await RequestModelAsync(context, cancellationToken);
            if (response is null)
            {
                return;
            }

            var (output, toRun) = ToEvents(response, context);
            if (output.Count > 0)
            {
                await AppendAsync(output, CancellationToken.None);
            }

            if (!output.Any(e => e is AgentToolUseEvent or AgentCustomToolUseEvent))
            {
                // With an outcome in progress, the turn's end is a deliverable to grade; a revision or the final
                // acknowledgment continues the same turn.
                if (await WithConversationAsync(c => Task.FromResult(c.Outcome), cancellationToken) is { } outcome
                    && await EvaluateAsync(outcome, context, cancellationToken) is OutcomeResults.NeedsRevision or OutcomeResults.MaxIterationsReached)
                {
                    continue;
                }

                await AppendAsync([new SessionStatusIdleEvent { StopReason = StopReason.EndTurn }], CancellationToken.None);
                return;
            }

            foreach (var (use, tool) in toRun)
            {
                await RunToolAsync(use.Id, tool, use.Input, context, cancellationToken);
            }
        }
    }

    private async Task<ChatResponse?> RequestModelAsync(TurnContext context, CancellationToken cancellationToken)
    {
        if (await WithConversationAsync(c => Task.FromResult(c.Outcome), cancellationToken) is { } outcome && !_snapshots.ContainsKey(outcome.Definition.OutcomeId))
        {
            _snapshots[outcome.Definition.OutcomeId] = WorkspaceSnapshot.Take(context.ToolContext.Workspace.Root);
        }

        var start = Stamp(new SpanModelRequestStartEvent { Model = context.Agent.Model });
        await AppendAsync([start], cancellationToken);
        var messages = await WithConversationAsync(c => Task.FromResult(BuildMessages(context, c)), cancellationToken);
        try
        {
            var response = await context.Client.GetResponseAsync(messages, context.ChatOptions, cancellationToken);
            await AppendAsync([new SpanModelRequestEndEvent { ModelRequestStartId = start.Id, ModelUsage = SessionUsage.FromModel(response.Usage) }], CancellationToken.None);
            return response;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await AppendAsync([new SpanModelRequestEndEvent { ModelRequestStartId = start.Id, IsError = true }], CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            SessionLog.ModelRequestFailed(_logger, ex, _sessionId);
            await AppendAsync([new SpanModelRequestEndEvent { ModelRequestStartId = start.Id, IsError = true }], CancellationToken.None);
            await FailTurnAsync(ToSessionError(ex), StopReason.RetriesExhausted);
            return null;
        }
    }

    private (List<SessionEvent> Output, List<(AgentToolUseEvent Use, BuiltInTool Tool)> ToRun) ToEvents(ChatResponse response, TurnContext context)
    {
        var output = new List<SessionEvent>();
        var toRun = new List<(AgentToolUseEvent, BuiltInTool)>();
        var text = new List<string>();
        void FlushText()
        {
            if (text.Count > 0)
            {
                output.Add(new AgentMessageEvent { Content = [new TextBlock(string.Concat(text))] });
                text.Clear();
            }
        }

        foreach (var content in response.Messages.Where(m => m.Role == ChatRole.Assistant).SelectMany(m => m.Contents))
        {
            switch (content)
            {
                case TextContent { Text.Length: > 0 } t:
                    text.Add(t.Text);
                    break;
                case TextReasoningContent { Text.Length: > 0 } r:
                    FlushText();
                    output.Add(new AgentThinkingEvent { Text = r.Text });
                    break;
                case FunctionCallContent call:
                    FlushText();
                    var input = JsonSerializer.SerializeToElement(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions);
                    if (context.CustomTools.Contains(call.Name))
                    {
                        output.Add(Stamp(new AgentCustomToolUseEvent { Name = call.Name, Input = input }));
                    }
                    else if (context.Tools.TryGetValue(call.Name, out var tool))
                    {
                        var use = Stamp(new AgentToolUseEvent
                        {
                            Name = call.Name,
                            Input = input,
                            EvaluatedPermission = tool.Policy == PermissionPolicy.AlwaysAsk ? ToolPermissions.Ask : ToolPermissions.Allow,
                        });
                        output.Add(use);
                        if (tool.Policy == PermissionPolicy.AlwaysAllow)
                        {
                            toRun.Add((use, tool.Tool));
                        }
                    }
                    else
                    {
                        var use = Stamp(new AgentToolUseEvent { Name = call.Name, Input = input, EvaluatedPermission = ToolPermissions.Deny });
                        output.Add(use);
                        output.Add(new AgentToolResultEvent
                        {
                            ToolUseId = use.Id,
                            Content = [new TextBlock($"There is no tool named '{call.Name}' in this session. Available tools: {string.Join(", ", context.ToolNames)}.")],
                            IsError = true,
                        });
                    }

                    break;
            }
        }

        FlushText();
        return (output, toRun);
    }

    // One evaluation cycle: checks, then the grader in a fresh context, with heartbeats; returns the cycle's result.
    private async Task<string> EvaluateAsync(ActiveOutcome outcome, TurnContext context, CancellationToken cancellationToken)
    {
        var definition = outcome.Definition;
        var start = Stamp(new SpanOutcomeEvaluationStartEvent { OutcomeId = definition.OutcomeId, Iteration = outcome.Iteration });
        await AppendAsync([start], cancellationToken);
        SpanOutcomeEvaluationEndEvent End(string result, string explanation, Grade? grade = null, IReadOnlyList<CheckResult>? checks = null) => new()
        {
            OutcomeId = definition.OutcomeId,
            OutcomeEvaluationStartId = start.Id,
            Iteration = outcome.Iteration,
            Result = result,
            Explanation = explanation,
            Usage = grade?.Usage ?? SessionUsage.Zero,
            Findings = grade?.Findings,
            Checks = checks,
            SampleVerdicts = grade?.SampleVerdicts is { Count: > 0 } samples ? samples : null,
        };

        try
        {
            var checks = await OutcomeChecks.RunAsync(definition.Checks ?? [], context.ToolContext, cancellationToken);
            var grader = _host.Models.Resolve(definition.GraderModel ?? context.Agent.Model);
            if (!grader.IsSuccess)
            {
                await AppendAsync([new SessionErrorEvent { Error = new SessionError("model_request_failed_error", grader.Error.Message, RetryStatus.Terminal) }, End(OutcomeResults.Failed, grader.Error.Message, checks: checks)], CancellationToken.None);
                return OutcomeResults.Failed;
            }

            var input = await WithConversationAsync(c => Task.FromResult(GradingInputFor(c, definition, context, checks)), cancellationToken);
            var grading = OutcomeGrader.GradeAsync(input, grader.Value, definition.GraderSamples ?? 1, cancellationToken);
            while (!grading.IsCompleted)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(_host.Options.OutcomeHeartbeatInterval, _host.TimeProvider, beat.Token);
                if (await Task.WhenAny(grading, delay) == delay)
                {
                    await AppendAsync([new SpanOutcomeEvaluationOngoingEvent { OutcomeId = definition.OutcomeId, Iteration = outcome.Iteration }], cancellationToken);
                }

                await beat.CancelAsync();
            }

            Grade grade;
            try
            {
                grade = await grading;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SessionLog.ModelRequestFailed(_logger, ex, _sessionId);
                var error = ToSessionError(ex);
                await AppendAsync([new SessionErrorEvent { Error = error }, End(OutcomeResults.Failed, $"The grader could not run: {error.Message}", checks: checks)], CancellationToken.None);
                return OutcomeResults.Failed;
            }

            if (grade.Error is not null)
            {
                await AppendAsync(
                    [new SessionErrorEvent { Error = new SessionError("unknown_error", grade.Explanation, RetryStatus.Exhausted) }, End(OutcomeResults.Failed, grade.Explanation, grade, checks)],
                    CancellationToken.None);
                return OutcomeResults.Failed;
            }

            var (result, explanation) = (grade.Verdict, grade.Explanation);
            if (result == OutcomeResults.Satisfied && checks.FirstOrDefault(c => !c.Passed) is { } failed)
            {
                (result, explanation) = (OutcomeResults.NeedsRevision, $"{explanation}\nOverruled: the check '{failed.Check}' failed, so the outcome cannot be satisfied.");
            }

            if (result == OutcomeResults.NeedsRevision && outcome.Iteration + 1 >= definition.MaxIterations)
            {
                result = OutcomeResults.MaxIterationsReached;
            }

            await AppendAsync([End(result, explanation, grade, checks)], CancellationToken.None);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await AppendAsync([End(OutcomeResults.Interrupted, "The user interrupted the evaluation.")], CancellationToken.None);
            throw;
        }
    }

    private GradingInput GradingInputFor(Conversation conversation, UserDefineOutcomeEvent definition, TurnContext context, IReadOnlyList<CheckResult> checks)
    {
        var root = context.ToolContext.Workspace.Root;
        var before = _snapshots.GetValueOrDefault(definition.OutcomeId) ?? WorkspaceSnapshot.Empty;
        var changes = before.Changes(WorkspaceSnapshot.Take(root));
        var budget = 100_000;
        var files = new List<(string, string, string?)>();
        foreach (var (path, change) in changes)
        {
            string? text = null;
            var full = Path.Combine(root, path);
            if (change != "deleted" && budget > 0 && new FileInfo(full) is { Exists: true, Length: < 1_000_000 } && !ToolOutput.LooksBinary(full))
            {
                text = ToolOutput.Limit(File.ReadAllText(full), Math.Min(20_000, budget));
                budget -= text.Length;
            }

            files.Add((path, change, text));
        }

        return new GradingInput(definition.Description, definition.Rubric.Content, [.. conversation.CycleMessages], files, checks);
    }

    private async Task CarryOutConfirmationAsync(PendingToolCall call, UserToolConfirmationEvent confirmation, TurnContext context, CancellationToken cancellationToken)
    {
        if (confirmation.Result == ToolConfirmationResult.Deny)
        {
            var reason = string.IsNullOrWhiteSpace(confirmation.DenyMessage) ? "" : $" Reason: {confirmation.DenyMessage}";
            await AppendAsync(
                [new AgentToolResultEvent { ToolUseId = call.EventId, Content = [new TextBlock($"The user denied this tool call.{reason}")], IsError = true }],
                CancellationToken.None);
        }
        else if (context.Tools.TryGetValue(call.Name, out var tool))
        {
            await RunToolAsync(call.EventId, tool.Tool, call.Input, context, cancellationToken);
        }
        else
        {
            await AppendAsync(
                [new AgentToolResultEvent { ToolUseId = call.EventId, Content = [new TextBlock($"The tool '{call.Name}' is no longer available.")], IsError = true }],
                CancellationToken.None);
        }
    }

    private async Task RunToolAsync(string toolUseId, BuiltInTool tool, JsonElement input, TurnContext context, CancellationToken cancellationToken)
    {
        var result = await tool.InvokeAsync(input, context.ToolContext, cancellationToken);
        await AppendAsync(
            [new AgentToolResultEvent { ToolUseId = toolUseId, Content = [new TextBlock(result.Content)], IsError = result.IsError }],
            CancellationToken.None);
    }

    // After a restart: the model request that was cut off gets its end, and a tool call whose result was never committed
    // is not run again, since it may have had side effects; the agent is told its outcome is unknown and decides.
    private async Task CloseCutOffWorkAsync()
    {
        var closing = await WithConversationAsync(
            c =>
            {
                var events = OpenCallResults(c, "The server stopped while this tool call ran, so its outcome is unknown: it may or may not have taken effect. Check before repeating it.");
                if (c.OpenModelRequestId is { } open)
                {
                    events.Insert(0, new SpanModelRequestEndEvent { ModelRequestStartId = open, IsError = true });
                }

                return Task.FromResult(events);
            },
            CancellationToken.None);
        if (closing.Count > 0)
        {
            await AppendAsync(closing, CancellationToken.None);
        }
    }

    private async Task CloseInterruptedTurnAsync()
    {
        var closing = await WithConversationAsync(c => Task.FromResult(InterruptedResults(c)), CancellationToken.None);
        closing.Add(new SessionStatusIdleEvent { StopReason = StopReason.EndTurn });
        await AppendAsync(closing, CancellationToken.None);
    }

    private async Task AbandonPendingCallsAsync(CancellationToken cancellationToken)
    {
        var closing = await WithConversationAsync(c => Task.FromResult(InterruptedResults(c)), cancellationToken);
        if (closing.Count > 0)
        {
            closing.Add(new SessionStatusIdleEvent { StopReason = StopReason.EndTurn });
            await AppendAsync(closing, cancellationToken);
        }
    }

    // Every call the model made must be answered before the next request, so an interrupt answers the open ones.
    private static List<SessionEvent> InterruptedResults(Conversation conversation) =>
        OpenCallResults(conversation, "The user interrupted the turn before this tool call finished.", includeWaiting: true);

    // Error results for the calls of the last model response that have none; calls still waiting for the client are
    // left to it unless includeWaiting.
    private static List<SessionEvent> OpenCallResults(Conversation conversation, string message, bool includeWaiting = false)
    {
        var waiting = includeWaiting ? [] : conversation.Pending.Where(p => p.Confirmation is null).Select(p => p.EventId).ToHashSet(StringComparer.Ordinal);
        var answered = new HashSet<string>(StringComparer.Ordinal);
        var open = conversation.Messages.Count > 0 && conversation.Messages[^1].Role == ChatRole.Assistant
            ? conversation.Messages[^1].Contents.OfType<FunctionCallContent>().Select(c => c.CallId).ToList()
            : [];
        if (conversation.Messages.Count > 1 && conversation.Messages[^1].Role == ChatRole.Tool && conversation.Messages[^2].Role == ChatRole.Assistant)
        {
            answered.UnionWith(conversation.Messages[^1].Contents.OfType<FunctionResultContent>().Select(r => r.CallId));
            open = [.. conversation.Messages[^2].Contents.OfType<FunctionCallContent>().Select(c => c.CallId)];
        }

        return
        [
            .. open.Where(id => !answered.Contains(id) && !waiting.Contains(id)).Select(id => (SessionEvent)new AgentToolResultEvent
            {
                ToolUseId = id,
                Content = [new TextBlock(message)],
                IsError = true,
            }),
        ];
    }

    private async Task FailTurnAsync(SessionError error, StopReason stopReason) =>
        await AppendAsync([new SessionErrorEvent { Error = error }, new SessionStatusIdleEvent { StopReason = stopReason }], CancellationToken.None);

    private async Task<Result<TurnContext>> LoadContextAsync(CancellationToken cancellationToken)
    {
        var thread = _isThread ? await ThreadAsync(cancellationToken) : null;
        var sessionId = thread?.SessionId ?? _sessionId;
        var session = await _host.Store.GetSessionAsync(sessionId, cancellationToken)
            ?? throw new InvalidOperationException($"Session {sessionId} disappeared while it was running.");
        var agent = thread?.Agent
            ?? await _host.Store.GetAgentAsync(session.AgentId, session.AgentVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Agent {session.AgentId} v{session.AgentVersion} of session {_sessionId} is missing.");
        var client = _host.Models.Resolve(agent.Model);
        if (!client.IsSuccess)
        {
            return client.Error;
        }

        var threads = await ThreadControl.CreateAsync(_host, sessionId, thread, agent, AppendAsync, cancellationToken);

        // Threads of a session mount its memory stores too, writing as the session.
        var memory = session.Resources.Count == 0 ? null : new MemoryMounts(_host.Memory, session.WorkspaceId, MemoryActor.Session(session.Id), session.Resources);
        var context = new TurnContext(agent, client.Value, new Workspace(session.WorkDirectory), _host, threads, memory);
        if (memory is not null)
        {
            // Read once per turn: the listing shows what the store holds when the turn starts.
            context.MemoryPrompt = await memory.DescribeAsync(cancellationToken);
        }

        return context;
    }

    // The thread this runner drives (its session, agent and name never change), read once.
    private async Task<SessionThread> ThreadAsync(CancellationToken cancellationToken) =>
        _thread ??= await _host.Store.GetThreadAsync(_sessionId, cancellationToken)
            ?? throw new InvalidOperationException($"Thread {_sessionId} is missing from the store.");

    // In a thread's log, the session status events the runner writes are the thread's own status events.
    private static SessionEvent ForThread(SessionEvent e, SessionThread thread) => e switch
    {
        SessionStatusRunningEvent => new SessionThreadStatusRunningEvent { SessionThreadId = thread.Id, AgentName = thread.Agent.Name },
        SessionStatusIdleEvent idle => new SessionThreadStatusIdleEvent { SessionThreadId = thread.Id, AgentName = thread.Agent.Name, StopReason = idle.StopReason },
        SessionStatusRescheduledEvent => new SessionThreadStatusRescheduledEvent { SessionThreadId = thread.Id, AgentName = thread.Agent.Name },
        SessionStatusTerminatedEvent => new SessionThreadStatusTerminatedEvent { SessionThreadId = thread.Id, AgentName = thread.Agent.Name },
        _ => e,
    };

    private static List<ChatMessage> BuildMessages(TurnContext context, Conversation conversation)
    {
        var messages = new List<ChatMessage>(conversation.Messages.Count + 1);
        var system = string.Join("\n\n", new[] { context.Agent.System, context.MemoryPrompt }.Where(s => !string.IsNullOrWhiteSpace(s)));
        if (system.Length > 0)
        {
            messages.Add(new ChatMessage(ChatRole.System, system));
        }

        messages.AddRange(conversation.Messages);
        return messages;
    }

    private async Task<IReadOnlyList<LoggedEvent>> AppendAsync(IReadOnlyList<SessionEvent> events, CancellationToken cancellationToken)
    {
        var thread = _isThread ? await ThreadAsync(cancellationToken) : null;
        var stamped = events.Select(e => Stamp(thread is null ? e : ForThread(e, thread))).ToList();
        IReadOnlyList<LoggedEvent> logged;
        await _stateLock.WaitAsync(cancellationToken);
        try
        {
            logged = await _host.Events.AppendAsync(_sessionId, stamped, cancellationToken);
            await SyncAsync(cancellationToken);
        }
        finally
        {
            _stateLock.Release();
        }

        // A thread's status changes are cross-posted to the session's primary stream, where clients follow the session.
        if (thread is not null && logged.Where(l => l.Event is SessionThreadStatusEvent).Select(l => l.Event with { Id = _host.Ids.NewId(IdPrefixes.Event) }).ToList() is { Count: > 0 } copies)
        {
            await _host.Events.AppendAsync(thread.SessionId, copies, CancellationToken.None);
        }

        return logged;
    }

    private T Stamp<T>(T e)
        where T : SessionEvent =>
        e.Id.Length > 0 ? e : e with { Id = _host.Ids.NewId(IdPrefixes.Event), ProcessedAt = _host.TimeProvider.GetUtcNow() };

    // Folds events committed since the last sync (by this runner or by clients sending input) into the conversation.
    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await _host.Events.Log.ReadAsync(_sessionId, _conversation.Sequence, 500, cancellationToken);
            foreach (var e in page)
            {
                _conversation.Apply(e);
            }

            if (page.Count < 500)
            {
                return;
            }
        }
    }

    private static SessionError ToSessionError(Exception ex) => ex switch
    {
        ModelRequestException { Kind: ModelErrorKind.RateLimited } => new SessionError("model_rate_limited_error", ex.Message, RetryStatus.Exhausted),
        ModelRequestException { Kind: ModelErrorKind.Overloaded } => new SessionError("model_overloaded_error", ex.Message, RetryStatus.Exhausted),
        ModelRequestException => new SessionError("model_request_failed_error", ex.Message, RetryStatus.Exhausted),
        _ => new SessionError("model_request_failed_error", $"{ex.GetType().Name}: {ex.Message}", RetryStatus.Exhausted),
    };

    public async ValueTask DisposeAsync()
    {
        lock (_mailboxLock)
        {
            _mailbox.Writer.TryComplete();
        }

        await _stopping.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
        // The state lock is not disposed: a send that picked this runner just before it retired may still take it.
    }
}
