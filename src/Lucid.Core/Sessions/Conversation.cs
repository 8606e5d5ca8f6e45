using System.Text.Json;
using Lucid.Events;
using Lucid.Outcomes;
using Microsoft.Extensions.AI;

namespace Lucid.Sessions;

/// <summary>
/// The model's view of a session, folded from its event log in order: the chat history, and the tool calls that
/// still wait for the client (a confirmation under <c>always_ask</c>, or a custom tool's result).
/// </summary>
/// <remarks>
/// A user message logged while a turn runs is queued by the runner and handled after that turn, so the fold places it
/// after the turn's <c>session.status_idle</c>. Folding the log after a restart therefore gives the same history the
/// live runner built, and a tool call is always directly followed by its result.
/// </remarks>
internal sealed class Conversation
{
    private readonly List<ChatMessage> _messages = [];
    private readonly List<ChatMessage> _deferred = [];
    private readonly Dictionary<string, PendingToolCall> _pending = [];
    private readonly List<string> _cycleMessages = [];
    private readonly List<string> _task = [];
    private readonly HashSet<string> _mcpCalls = new(StringComparer.Ordinal);
    private readonly string? _threadId;
    private bool _running;

    // Messages a compaction keeps verbatim: the active outcome's rubric and its latest fix list, a thread's task, and the
    // client's system messages.
    private readonly HashSet<ChatMessage> _systemMessages = [];
    private ChatMessage? _outcomeMessage;
    private ChatMessage? _feedbackMessage;
    private ChatMessage? _taskMessage;

    /// <summary>A conversation of a session's own log, or of a child thread's log when <paramref name="threadId"/> is given.</summary>
    public Conversation(string? threadId = null) => _threadId = threadId;

    /// <summary>The chat history, without the system prompt.</summary>
    public IReadOnlyList<ChatMessage> Messages => _messages;

    /// <summary>The URLs the conversation has shown the model, by source, for <c>web_fetch</c>'s <c>url_sources</c>.</summary>
    public Tools.UrlSightings Urls { get; } = new();

    /// <summary>Tool calls waiting for the client, in the order they were made.</summary>
    public IReadOnlyCollection<PendingToolCall> Pending => _pending.Values;

    /// <summary>The outcome the agent is working toward, until its evaluation ends it; null when there is none.</summary>
    public ActiveOutcome? Outcome { get; private set; }

    /// <summary>The agent's final messages of the current outcome cycle (those after its last tool call): the deliverable the grader reads.</summary>
    public IReadOnlyList<string> CycleMessages => _cycleMessages;

    /// <summary>
    /// What the agent was asked to do, in order and never compacted: the user's messages, outcome descriptions, and a
    /// thread's input. A reviewer of tool calls under <c>auto</c> reads it.
    /// </summary>
    public IReadOnlyList<string> TaskMessages => _task;

    /// <summary>Whether an evaluation of the current outcome started and has not ended (it was cut off when the process stopped).</summary>
    public bool EvaluationOpen { get; private set; }

    /// <summary>The model request that started and has not ended, or null (it was cut off when the process stopped).</summary>
    public string? OpenModelRequestId { get; private set; }

    /// <summary>Whether a model request's usage was logged after the last <c>session.usage</c> snapshot.</summary>
    public bool UsageUnreported { get; private set; }

    /// <summary>The sequence number of the last event folded in.</summary>
    public long Sequence { get; private set; }

    /// <summary>
    /// Whether a child thread has ended for good: its log holds an interrupt (which terminates a thread) or its
    /// terminated status. Always false for a session's own log.
    /// </summary>
    public bool Ended { get; private set; }

    /// <summary>Whether a child thread's log holds its terminated status.</summary>
    public bool TerminationLogged { get; private set; }

    /// <summary>The sequence number of the latest message a child thread received (0 when none).</summary>
    public long LastThreadMessageSequence { get; private set; }

    /// <summary>Folds one logged event in. Events must come in sequence order; ones already folded are ignored.</summary>
    public void Apply(LoggedEvent logged)
    {
        if (logged.Sequence <= Sequence)
        {
            return;
        }

        Sequence = logged.Sequence;
        if (_threadId is not null && logged.Event is UserInterruptEvent)
        {
            Ended = true;
        }

        if (logged.Event is SessionThreadStatusTerminatedEvent terminated && terminated.SessionThreadId == _threadId)
        {
            Ended = TerminationLogged = true;
        }

        switch (logged.Event)
        {
            case SessionStatusRunningEvent:
            case SessionThreadStatusRunningEvent own when own.SessionThreadId == _threadId:
                _running = true;
                break;
            case SpanModelRequestStartEvent start:
                OpenModelRequestId = start.Id;
                break;
            case SpanModelRequestEndEvent:
                OpenModelRequestId = null;
                UsageUnreported = true;
                break;
            case SessionUsageEvent:
                UsageUnreported = false;
                break;
            case SessionStatusIdleEvent or SessionStatusTerminatedEvent:
            case SessionThreadStatusIdleEvent or SessionThreadStatusTerminatedEvent when ((SessionThreadStatusEvent)logged.Event).SessionThreadId == _threadId:
                _running = false;
                _messages.AddRange(_deferred);
                _deferred.Clear();
                break;
            case UserMessageEvent user:
                Urls.SeeUserText(Text(user.Content));
                _task.Add(Text(user.Content));
                (_running ? _deferred : _messages).Add(new ChatMessage(ChatRole.User, Text(user.Content)));
                break;
            case SystemMessageEvent system:
                // Kept verbatim through compactions: it holds for every later turn.
                var systemMessage = new ChatMessage(ChatRole.System, Text(system.Content));
                _systemMessages.Add(systemMessage);
                (_running ? _deferred : _messages).Add(systemMessage);
                break;
            case AgentThreadMessageReceivedEvent received:
                LastThreadMessageSequence = logged.Sequence;
                // A thread's input: the task or a follow-up from the agent that spawned it.
                var input = new ChatMessage(ChatRole.User, Text(received.Content));
                _task.Add(input.Text);
                _taskMessage ??= _threadId is null ? null : input;
                (_running ? _deferred : _messages).Add(input);
                break;
            case UserDefineOutcomeEvent outcome:
                _task.Add(outcome.Description);
                _outcomeMessage = new ChatMessage(ChatRole.User, outcome.Description);
                _feedbackMessage = null;
                (_running ? _deferred : _messages).Add(_outcomeMessage);
                Outcome = new ActiveOutcome(outcome, 0);
                _cycleMessages.Clear();
                break;
            case AgentThreadContextCompactedEvent compacted:
                Compact(compacted);
                break;
            case OutcomeBaselineEvent baseline when Outcome is { } current && current.Definition.OutcomeId == baseline.OutcomeId:
                Outcome = current with { Baseline = DirectorySnapshot.From(baseline) };
                break;
            case SpanOutcomeEvaluationStartEvent:
                EvaluationOpen = true;
                break;
            case SpanOutcomeEvaluationEndEvent end when Outcome is { } active && active.Definition.OutcomeId == end.OutcomeId:
                EvaluationOpen = false;
                UsageUnreported |= end.Usage != SessionUsage.Zero;
                _cycleMessages.Clear();
                if (end.Result == OutcomeResult.NeedsRevision)
                {
                    Outcome = active with { Iteration = end.Iteration + 1 };
                    _feedbackMessage = new ChatMessage(ChatRole.User, OutcomeFeedback.Revision(end, active.Definition.MaxIterations));
                    _messages.Add(_feedbackMessage);
                }
                else
                {
                    Outcome = null;
                    _outcomeMessage = _feedbackMessage = null;
                    if (end.Result == OutcomeResult.MaxIterationsReached)
                    {
                        _messages.Add(new ChatMessage(ChatRole.User, OutcomeFeedback.Acknowledge(end, active.Definition.MaxIterations)));
                    }
                }

                break;
            case AgentMessageEvent message:
                AssistantMessage().Contents.Add(new TextContent(Text(message.Content)));
                _cycleMessages.Add(Text(message.Content));
                break;
            case AgentToolUseEvent use:
                // Messages before a tool call were intermediate: the deliverable is what the agent says last.
                _cycleMessages.Clear();
                AssistantMessage().Contents.Add(new FunctionCallContent(use.Id, use.Name, Arguments(use.Input)));
                Urls.SeeCall(use.Id, use.Name, custom: false);
                if (use.EvaluatedPermission == ToolPermissions.Ask)
                {
                    _pending[use.Id] = new PendingToolCall(use.Id, use.Name, use.Input, IsCustom: false);
                }

                break;
            case AgentMcpToolUseEvent mcp:
                _cycleMessages.Clear();
                _mcpCalls.Add(mcp.Id);
                AssistantMessage().Contents.Add(new FunctionCallContent(mcp.Id, Mcp.McpToolNames.For(mcp.McpServerName, mcp.Name), Arguments(mcp.Input)));
                if (mcp.EvaluatedPermission == ToolPermissions.Ask)
                {
                    _pending[mcp.Id] = new PendingToolCall(mcp.Id, mcp.Name, mcp.Input, IsCustom: false) { McpServerName = mcp.McpServerName };
                }

                break;
            case AgentMcpToolResultEvent result:
                AddResult(result.McpToolUseId, result.Content, result.IsError);
                break;
            case AgentCustomToolUseEvent custom:
                _cycleMessages.Clear();
                AssistantMessage().Contents.Add(new FunctionCallContent(custom.Id, custom.Name, Arguments(custom.Input)));
                _pending[custom.Id] = new PendingToolCall(custom.Id, custom.Name, custom.Input, IsCustom: true);
                Urls.SeeCall(custom.Id, custom.Name, custom: true);
                break;
            case AgentToolResultEvent result:
                Urls.SeeResult(result.ToolUseId, Text(result.Content));
                AddResult(result.ToolUseId, result.Content, result.IsError);
                break;
            case UserCustomToolResultEvent result:
                Urls.SeeResult(result.CustomToolUseId, Text(result.Content));
                AddResult(result.CustomToolUseId, result.Content, result.IsError);
                break;
            case UserToolConfirmationEvent confirmation:
                // The call stays pending until its result is logged; an allowed call is running now.
                if (_pending.TryGetValue(confirmation.ToolUseId, out var call))
                {
                    _pending[confirmation.ToolUseId] = call with { Confirmation = confirmation };
                }

                break;
        }
    }

    /// <summary>Whether <paramref name="useId"/> is a call of an MCP tool (answered by <c>agent.mcp_tool_result</c>).</summary>
    public bool IsMcpCall(string useId) => _mcpCalls.Contains(useId);

    /// <summary>
    /// Where a compaction that keeps at least the messages from <paramref name="keepFrom"/> on may cut: never between a
    /// tool call and its results (a cut before a tool message moves back to the call).
    /// </summary>
    public int CompactionCut(int keepFrom)
    {
        var cut = Math.Clamp(keepFrom, 0, _messages.Count);
        while (cut > 0 && cut < _messages.Count && _messages[cut].Role == ChatRole.Tool)
        {
            cut--;
        }

        return cut;
    }

    /// <summary>Of the first <paramref name="count"/> messages, those a compaction summarizes: all but the ones it keeps verbatim.</summary>
    public IReadOnlyList<ChatMessage> Compactable(int count) => [.. _messages.Take(count).Where(m => !IsKept(m))];

    // The summary takes the place of the first messages; those among them kept verbatim follow it, in their order.
    private void Compact(AgentThreadContextCompactedEvent compacted)
    {
        var count = Math.Clamp(compacted.CompactedMessages, 0, _messages.Count);
        var kept = _messages.Take(count).Where(IsKept).ToList();
        _messages.RemoveRange(0, count);
        _messages.InsertRange(0, [new ChatMessage(ChatRole.User, CompactionSummary.Message(compacted.Summary)), .. kept]);
    }

    private bool IsKept(ChatMessage message) =>
        ReferenceEquals(message, _outcomeMessage) || ReferenceEquals(message, _feedbackMessage) || ReferenceEquals(message, _taskMessage)
        || _systemMessages.Contains(message);

    private void AddResult(string toolUseId, IReadOnlyList<ContentBlock> content, bool isError)
    {
        _pending.Remove(toolUseId);
        var text = Text(content);
        var result = new FunctionResultContent(toolUseId, isError ? $"Error: {text}" : text);
        if (_messages.Count > 0 && _messages[^1].Role == ChatRole.Tool)
        {
            _messages[^1].Contents.Add(result);
        }
        else
        {
            _messages.Add(new ChatMessage(ChatRole.Tool, [result]));
        }
    }

    private ChatMessage AssistantMessage()
    {
        if (_messages.Count > 0 && _messages[^1].Role == ChatRole.Assistant)
        {
            return _messages[^1];
        }

        var message = new ChatMessage(ChatRole.Assistant, (IList<AIContent>)[]);
        _messages.Add(message);
        return message;
    }

    // The model is sent text: an image (of an MCP result) is named, not shown.
    internal static string Text(IReadOnlyList<ContentBlock> content) =>
        string.Join("\n", content.Select(b => b switch
        {
            TextBlock text => text.Text,
            ImageBlock image => $"[image: {image.Source.MediaType}, {image.Source.Data.Length * 3 / 4} bytes]",
            _ => null,
        }).OfType<string>());

    private static Dictionary<string, object?> Arguments(JsonElement input)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (input.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in input.EnumerateObject())
            {
                arguments[property.Name] = property.Value.Clone();
            }
        }

        return arguments;
    }
}

/// <summary>An outcome in progress and the revision cycle it is on.</summary>
/// <param name="Definition">The <c>user.define_outcome</c> event.</param>
/// <param name="Iteration">The 0-based cycle.</param>
internal sealed record ActiveOutcome(UserDefineOutcomeEvent Definition, int Iteration)
{
    /// <summary>The work directory as it was when work toward the outcome began, once recorded in the log.</summary>
    public DirectorySnapshot? Baseline { get; init; }
}

/// <summary>A tool call waiting for the client.</summary>
/// <param name="EventId">The <c>agent.tool_use</c> or <c>agent.custom_tool_use</c> event.</param>
/// <param name="Name">The tool's name.</param>
/// <param name="Input">The tool's input.</param>
/// <param name="IsCustom">Whether the client executes the tool (a custom tool) rather than Lucid after confirmation.</param>
internal sealed record PendingToolCall(string EventId, string Name, JsonElement Input, bool IsCustom)
{
    /// <summary>The MCP server of the call when it is an MCP tool's (then <see cref="Name"/> is the tool's name on the server).</summary>
    public string? McpServerName { get; init; }

    /// <summary>The user's confirmation, once it has arrived and the call is being carried out.</summary>
    public UserToolConfirmationEvent? Confirmation { get; init; }
}
