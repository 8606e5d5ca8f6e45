using System.Text.Json;
using Lucid.Events;
using Lucid.Outcomes;
using Lucid.Sessions;

namespace Lucid.Dreams;

/// <summary>
/// Builds a <see cref="SessionDigest"/> from a session's events, one at a time in log order, so a long log never needs
/// to be in memory at once. It keeps only what the digest reports: counts, error signatures, inputs of unfixed failures
/// and of calls made so far (to spot repeats), never tool output beyond a short error message, and nothing at all of
/// what memory reads returned.
/// </summary>
public sealed class SessionDigester
{
    /// <summary>The metadata key that marks an imported session and names its source.</summary>
    public const string ImportSourceKey = "lucid.import.source";

    private const int MaxTaskLength = 2000;
    private const int MaxMessageLength = 300;
    private const int MaxExplanationLength = 1000;
    private const int MaxEvidence = 20;

    private readonly string _sessionId;
    private readonly string? _importSource;
    private readonly string? _taskId;
    private readonly Dictionary<string, PendingCall> _calls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ToolCounter> _tools = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Tool, string Input), List<string>> _callRepeats = [];
    private readonly Dictionary<(string Tool, string Signature), List<string>> _errorRepeats = [];
    private readonly Dictionary<string, List<OpenError>> _openErrors = new(StringComparer.Ordinal);
    private readonly List<DigestToolError> _errors = [];
    private readonly List<DigestVerdict> _verdicts = [];
    private readonly List<DigestSessionError> _sessionErrors = [];
    private readonly List<DigestMemoryAccess> _memories = [];
    private readonly List<ModelRequest> _requests = [];
    private readonly List<string> _compactions = [];
    private readonly SortedList<int, DigestStep> _succeeded = [];
    private string? _task;
    private string? _taskEventId;
    private string? _outcomeDescription;
    private OutcomeResult? _finalResult;
    private int _eventCount;
    private int _callCount;
    private long _inputTokens;
    private long _outputTokens;

    /// <summary>Starts a digest of <paramref name="session"/>.</summary>
    public SessionDigester(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        _sessionId = session.Id;
        _importSource = session.Metadata.GetValueOrDefault(ImportSourceKey);
        _taskId = SessionTasks.TaskIdOf(session.Metadata);
    }

    /// <summary>Adds the session's next event.</summary>
    public void Add(LoggedEvent logged)
    {
        ArgumentNullException.ThrowIfNull(logged);
        _eventCount++;
        var e = logged.Event;
        switch (e)
        {
            case UserMessageEvent message when _task is null:
                _task = Truncate(Text(message.Content), MaxTaskLength);
                _taskEventId = e.Id;
                break;
            case UserDefineOutcomeEvent outcome:
                _outcomeDescription ??= Truncate(outcome.Description, MaxTaskLength);
                _taskEventId ??= e.Id;
                break;
            case AgentToolUseEvent use:
                AddCall(e.Id, use.Name, use.Input);
                break;
            case AgentCustomToolUseEvent use:
                AddCall(e.Id, use.Name, use.Input);
                break;
            case AgentMcpToolUseEvent use:
                // Counted under the name the model called it by, which names its server too.
                AddCall(e.Id, Mcp.McpToolNames.For(use.McpServerName, use.Name), use.Input);
                break;
            case AgentMcpToolResultEvent result:
                AddResult(result.McpToolUseId, e.Id, result.IsError, result.Content);
                break;
            case AgentToolResultEvent result:
                AddResult(result.ToolUseId, e.Id, ToolErrorRule.IsError(result, _importSource is not null), result.Content);
                break;
            case UserCustomToolResultEvent result:
                AddResult(result.CustomToolUseId, e.Id, result.IsError || (_importSource is not null && ToolErrorRule.IsErrorText(Text(result.Content))), result.Content);
                break;
            case SpanModelRequestEndEvent end:
                // Input tokens are the whole prompt, cache reads and writes included.
                _inputTokens += end.ModelUsage.InputTokens;
                _outputTokens += end.ModelUsage.OutputTokens;
                _requests.Add(new ModelRequest(e.Id, end.ModelUsage.InputTokens + end.ModelUsage.OutputTokens, end.IsError));
                break;
            case SpanOutcomeEvaluationEndEvent end:
                AddVerdict(end);
                break;
            case AgentThreadContextCompactedEvent:
                _compactions.Add(e.Id);
                break;
            case SessionErrorEvent error:
                _sessionErrors.Add(new DigestSessionError(error.Error.Type, Truncate(error.Error.Message, MaxMessageLength), e.Id));
                break;
        }
    }

    /// <summary>The digest of the events added so far.</summary>
    public SessionDigest Build()
    {
        var wasted = _requests.Where(r => r.IsError || (r.Calls > 0 && r.FailedCalls == r.Calls)).ToList();
        return new SessionDigest
        {
            SessionId = _sessionId,
            ImportSource = _importSource,
            TaskId = _taskId,
            Task = _task ?? _outcomeDescription,
            TaskEventId = _taskEventId,
            EventCount = _eventCount,
            Verdicts = [.. _verdicts],
            FinalResult = _finalResult,
            Tools = [.. _tools.Values.Select(t => new DigestToolCount(t.Tool, t.Calls, t.Errors))],
            ToolErrors = [.. _errors],
            Repeats =
            [
                .. _callRepeats.Where(r => r.Value.Count > 1).Select(r => new DigestRepeat(DigestRepeat.RepeatedCall, r.Key.Tool, Truncate(r.Key.Input, ErrorSignatures.MaxLength), r.Value.Count, [.. r.Value.Take(MaxEvidence)])),
                .. _errorRepeats.Where(r => r.Value.Count > 1).Select(r => new DigestRepeat(DigestRepeat.RepeatedError, r.Key.Tool, r.Key.Signature, r.Value.Count, [.. r.Value.Take(MaxEvidence)])),
            ],
            SessionErrors = [.. _sessionErrors],
            Tokens = new DigestTokens
            {
                ModelRequests = _requests.Count,
                InputTokens = _inputTokens,
                OutputTokens = _outputTokens,
                WastedTokens = wasted.Sum(r => r.Tokens),
                WastedEventIds = [.. wasted.Take(MaxEvidence).Select(r => r.EventId)],
                Compactions = _compactions.Count,
                CompactionEventIds = [.. _compactions.Take(MaxEvidence)],
            },
            Memories = [.. _memories],
            Workflow = [.. Steps()],
        };
    }

    /// <summary>Digests a stored session, reading its log a page at a time; <paramref name="observe"/> sees every event read.</summary>
    public static async Task<SessionDigest> DigestAsync(
        Storage.IEventLog log, Session session, CancellationToken cancellationToken, Action<LoggedEvent>? observe = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        var digester = new SessionDigester(session);
        const int pageSize = 500;
        long after = 0;
        while (true)
        {
            var page = await log.ReadAsync(session.Id, after, pageSize, cancellationToken);
            foreach (var e in page)
            {
                digester.Add(e);
                observe?.Invoke(e);
                after = e.Sequence;
            }

            if (page.Count < pageSize)
            {
                return digester.Build();
            }
        }
    }

    private void AddCall(string eventId, string tool, JsonElement input)
    {
        _callCount++;
        var counter = Counter(tool);
        counter.Calls++;
        var memory = MemoryToolCalls.TryClassify(tool, input, out var path, out var isWrite);
        if (memory)
        {
            _memories.Add(new DigestMemoryAccess(path, isWrite, eventId));
        }

        var raw = input.ValueKind == JsonValueKind.Undefined ? "" : input.GetRawText();
        if (!_callRepeats.TryGetValue((tool, raw), out var repeats))
        {
            _callRepeats[(tool, raw)] = repeats = [];
        }

        repeats.Add(eventId);
        if (_requests.Count > 0)
        {
            _requests[^1].Calls++;
        }

        _calls[eventId] = new PendingCall(tool, input.ValueKind == JsonValueKind.Undefined ? default : input.Clone(), memory && !isWrite, memory, eventId, _callCount, _requests.Count - 1);
    }

    private void AddResult(string toolUseId, string resultId, bool isError, IReadOnlyList<ContentBlock> content)
    {
        if (!_calls.Remove(toolUseId, out var call))
        {
            return;
        }

        var counter = Counter(call.Tool);
        if (!isError)
        {
            if (!call.TouchesMemory)
            {
                _succeeded[call.Ordinal] = new DigestStep(call.Tool, call.EventId);
            }

            if (_openErrors.Remove(call.Tool, out var open))
            {
                foreach (var error in open)
                {
                    _errors[error.Index] = _errors[error.Index] with
                    {
                        Fix = new DigestToolFix(InputChange(error.Input, call.Input), toolUseId, call.Ordinal - error.Ordinal - 1),
                    };
                }
            }

            return;
        }

        counter.Errors++;
        if (call.Request >= 0)
        {
            _requests[call.Request].FailedCalls++;
        }

        // A memory read's output is recalled memory: it never enters the digest, even when the read failed.
        var message = call.ReadsMemory ? "" : Truncate(Text(content), MaxMessageLength);
        var signature = call.ReadsMemory ? "(memory read failed)" : ErrorSignatures.Normalize(message);
        _errors.Add(new DigestToolError(call.Tool, signature, message, toolUseId, resultId, null));
        if (!_openErrors.TryGetValue(call.Tool, out var errors))
        {
            _openErrors[call.Tool] = errors = [];
        }

        errors.Add(new OpenError(_errors.Count - 1, call.Input, call.Ordinal));
        if (!_errorRepeats.TryGetValue((call.Tool, signature), out var repeats))
        {
            _errorRepeats[(call.Tool, signature)] = repeats = [];
        }

        repeats.Add(resultId);
    }

    private void AddVerdict(SpanOutcomeEvaluationEndEvent end)
    {
        var unmet = (end.Findings ?? []).Where(f => !f.Met).Select(f => new DigestFinding(f.Criterion, Truncate(f.Evidence, 500))).ToList();
        unmet.AddRange((end.Checks ?? []).Where(c => !c.Passed).Select(c => new DigestFinding($"check: {c.Check}", Truncate(c.Output, 500))));
        _verdicts.Add(new DigestVerdict(end.OutcomeId, end.Iteration, end.Result, Truncate(end.Explanation, MaxExplanationLength), unmet, end.Id));
        if (end.Result.IsTerminal())
        {
            _finalResult = end.Result;
        }
    }

    private ToolCounter Counter(string tool)
    {
        if (!_tools.TryGetValue(tool, out var counter))
        {
            _tools[tool] = counter = new ToolCounter(tool);
        }

        return counter;
    }

    /// <summary>How the input of a successful call differs from the failed one's, field by field.</summary>
    internal static string InputChange(JsonElement failed, JsonElement succeeded)
    {
        if (failed.ValueKind != JsonValueKind.Object || succeeded.ValueKind != JsonValueKind.Object)
        {
            return failed.ValueKind == succeeded.ValueKind && (failed.ValueKind == JsonValueKind.Undefined || failed.GetRawText() == succeeded.GetRawText())
                ? "unchanged"
                : "~input";
        }

        var changes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var property in failed.EnumerateObject())
        {
            if (!succeeded.TryGetProperty(property.Name, out var other))
            {
                changes.Add("-" + property.Name);
            }
            else if (!JsonElement.DeepEquals(property.Value, other))
            {
                changes.Add("~" + property.Name);
            }
        }

        foreach (var property in succeeded.EnumerateObject())
        {
            if (!failed.TryGetProperty(property.Name, out _))
            {
                changes.Add("+" + property.Name);
            }
        }

        return changes.Count == 0 ? "unchanged" : string.Join(' ', changes);
    }

    private static string Text(IReadOnlyList<ContentBlock> content) =>
        content.Count == 1 && content[0] is TextBlock single ? single.Text : string.Join('\n', content.OfType<TextBlock>().Select(t => t.Text));

    /// <summary>The text cut to at most <paramref name="max"/> characters, the last an ellipsis when it was cut.</summary>
    internal static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    // Successful calls in call order, a tool's calls in a row merged into one step that cites the first of them.
    private IEnumerable<DigestStep> Steps()
    {
        DigestStep? last = null;
        foreach (var step in _succeeded.Values)
        {
            if (last?.Tool != step.Tool)
            {
                yield return last = step;
            }
        }
    }

    private sealed record PendingCall(string Tool, JsonElement Input, bool ReadsMemory, bool TouchesMemory, string EventId, int Ordinal, int Request);

    private sealed record OpenError(int Index, JsonElement Input, int Ordinal);

    private sealed class ToolCounter(string tool)
    {
        public string Tool { get; } = tool;

        public int Calls { get; set; }

        public int Errors { get; set; }
    }

    private sealed class ModelRequest(string eventId, long tokens, bool isError)
    {
        public string EventId { get; } = eventId;

        public long Tokens { get; } = tokens;

        public bool IsError { get; } = isError;

        public int Calls { get; set; }

        public int FailedCalls { get; set; }
    }
}
