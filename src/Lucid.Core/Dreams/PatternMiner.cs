using Lucid.Outcomes;

namespace Lucid.Dreams;

/// <summary>
/// Mines patterns across session digests, one digest at a time: it keeps counters and capped evidence lists, never the
/// digests themselves, so memory grows with the number of distinct patterns and sessions, not with events.
/// </summary>
public sealed class PatternMiner
{
    /// <summary>The fewest passing sessions that make a tool sequence a <see cref="WorkflowPattern"/>.</summary>
    public const int MinWorkflowSessions = 3;

    /// <summary>The fewest steps a <see cref="WorkflowPattern"/> has: one tool alone is not a workflow.</summary>
    public const int MinWorkflowSteps = 2;

    private const int MaxEvidence = 20;
    private readonly List<string> _sessionIds = [];
    private readonly HashSet<string> _tasks = new(StringComparer.Ordinal);
    private int _sessionsWithTask;
    private readonly Dictionary<string, ToolAccumulator> _tools = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Tool, string Signature), ErrorAccumulator> _errors = [];
    private readonly Dictionary<(string Kind, string Tool, string Signature), DetourAccumulator> _detours = [];
    private readonly Dictionary<(string Criterion, bool FromExplanation), ReasonAccumulator> _reasons = [];
    private readonly Dictionary<string, MemoryAccumulator> _memories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkflowAccumulator> _workflows = new(StringComparer.Ordinal);
    private VerdictFailureRates _rates = new();
    private int _passing;
    private int _failing;
    private long _events;
    private int _requests;
    private long _inputTokens;
    private long _outputTokens;
    private long _wastedTokens;
    private readonly List<string> _wastedEventIds = [];

    /// <summary>Adds one session's digest.</summary>
    public void Add(SessionDigest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var id = digest.SessionId;
        _sessionIds.Add(id);
        if (digest.TaskId is { } task)
        {
            _tasks.Add(task);
            _sessionsWithTask++;
        }

        _events += digest.EventCount;
        _passing += digest.Passed ? 1 : 0;
        _failing += digest.Failed ? 1 : 0;
        AddTools(digest);
        AddErrors(digest);
        AddDetours(digest);
        AddReasons(digest);
        AddMemories(digest);
        AddWorkflow(digest);
        _requests += digest.Tokens.ModelRequests;
        _inputTokens += digest.Tokens.InputTokens;
        _outputTokens += digest.Tokens.OutputTokens;
        _wastedTokens += digest.Tokens.WastedTokens;
        AddCapped(_wastedEventIds, digest.Tokens.WastedEventIds);
    }

    /// <summary>The report over the digests added so far.</summary>
    public MiningReport Build() => new()
    {
        SessionIds = [.. _sessionIds],
        PassingSessions = _passing,
        FailingSessions = _failing,
        UngradedSessions = _sessionIds.Count - _passing - _failing,
        Tasks = _tasks.Count,
        SessionsWithTask = _sessionsWithTask,
        Events = _events,
        Tools =
        [
            .. _tools.Values
                .OrderByDescending(t => t.Errors).ThenByDescending(t => ToolFailureStats.Rate(t.Errors, t.Calls)).ThenBy(t => t.Tool, StringComparer.Ordinal)
                .Select(t => new ToolFailureStats
                {
                    Tool = t.Tool, Calls = t.Calls, Errors = t.Errors, Sessions = t.Sessions,
                    PassingCalls = t.PassingCalls, PassingErrors = t.PassingErrors, FailingCalls = t.FailingCalls, FailingErrors = t.FailingErrors,
                }),
        ],
        FailureRates = _rates,
        RecurringErrors =
        [
            .. _errors.Values.Where(e => e.Sessions.Count > 1 || e.Occurrences > 1)
                .OrderByDescending(e => e.Sessions.Count).ThenByDescending(e => e.Occurrences).ThenBy(e => e.Tool, StringComparer.Ordinal).ThenBy(e => e.Signature, StringComparer.Ordinal)
                .Select(e => new ErrorPattern
                {
                    Tool = e.Tool, Signature = e.Signature, Example = e.Example, Occurrences = e.Occurrences, Sessions = e.Sessions.Count, Tasks = e.Tasks.Count,
                    FixedSessions = e.FixedSessions, PassingSessions = e.PassingSessions, SessionIds = [.. e.Sessions], EventIds = [.. e.EventIds],
                    Fixes =
                    [
                        .. e.Fixes.OrderByDescending(f => f.Value.Sessions.Count).ThenByDescending(f => f.Value.Occurrences).ThenBy(f => f.Key, StringComparer.Ordinal)
                            .Select(f => new FixPattern { Change = f.Key, Occurrences = f.Value.Occurrences, Sessions = f.Value.Sessions.Count, Tasks = f.Value.Tasks.Count, SessionIds = [.. f.Value.Sessions], EventIds = [.. f.Value.EventIds] }),
                    ],
                }),
        ],
        Detours =
        [
            .. _detours.Values.OrderByDescending(d => d.Sessions.Count).ThenByDescending(d => d.Extra).ThenBy(d => d.Kind, StringComparer.Ordinal).ThenBy(d => d.Tool, StringComparer.Ordinal).ThenBy(d => d.Signature, StringComparer.Ordinal)
                .Select(d => new DetourPattern { Kind = d.Kind, Tool = d.Tool, Signature = d.Signature, ExtraOccurrences = d.Extra, Sessions = d.Sessions.Count, Tasks = d.Tasks.Count, SessionIds = [.. d.Sessions], EventIds = [.. d.EventIds] }),
        ],
        FailureReasons =
        [
            .. _reasons.Values.OrderByDescending(r => r.Occurrences).ThenByDescending(r => r.Sessions.Count).ThenBy(r => r.Criterion, StringComparer.Ordinal)
                .Select(r => new FailureReason
                {
                    Criterion = r.Criterion, FromExplanation = r.FromExplanation, Occurrences = r.Occurrences, Sessions = r.Sessions.Count, Tasks = r.Tasks.Count, Example = r.Example,
                    SessionIds = [.. r.Sessions], EventIds = [.. r.EventIds],
                }),
        ],
        Memories =
        [
            .. _memories.Values.OrderByDescending(m => m.Sessions.Count).ThenBy(m => m.Path, StringComparer.Ordinal)
                .Select(m => new MemoryPattern
                {
                    Path = m.Path, ReadInPassing = m.ReadInPassing, ReadInFailing = m.ReadInFailing, ReadInUngraded = m.ReadInUngraded, WrittenIn = m.WrittenIn, Tasks = m.Tasks.Count,
                    SessionIds = [.. m.Sessions], EventIds = [.. m.EventIds],
                }),
        ],
        Workflows =
        [
            .. _workflows.Values.Where(w => w.Sessions.Count >= MinWorkflowSessions)
                .OrderByDescending(w => w.Sessions.Count).ThenByDescending(w => w.Steps.Count).ThenBy(w => string.Join('\n', w.Steps), StringComparer.Ordinal)
                .Select(w => new WorkflowPattern { Steps = w.Steps, Sessions = w.Sessions.Count, Tasks = w.Tasks.Count, SessionIds = [.. w.Sessions], EventIds = [.. w.EventIds] }),
        ],
        Tokens = new DigestTokens { ModelRequests = _requests, InputTokens = _inputTokens, OutputTokens = _outputTokens, WastedTokens = _wastedTokens, WastedEventIds = [.. _wastedEventIds] },
    };

    private void AddTools(SessionDigest digest)
    {
        var calls = 0;
        var errors = 0;
        foreach (var count in digest.Tools)
        {
            if (!_tools.TryGetValue(count.Tool, out var tool))
            {
                _tools[count.Tool] = tool = new ToolAccumulator(count.Tool);
            }

            tool.Calls += count.Calls;
            tool.Errors += count.Errors;
            tool.Sessions++;
            if (digest.Passed)
            {
                tool.PassingCalls += count.Calls;
                tool.PassingErrors += count.Errors;
            }
            else if (digest.Failed)
            {
                tool.FailingCalls += count.Calls;
                tool.FailingErrors += count.Errors;
            }

            calls += count.Calls;
            errors += count.Errors;
        }

        var withErrors = errors > 0 ? 1 : 0;
        _rates = digest.Passed
            ? _rates with { PassingCalls = _rates.PassingCalls + calls, PassingErrors = _rates.PassingErrors + errors, PassingSessionsWithErrors = _rates.PassingSessionsWithErrors + withErrors }
            : digest.Failed
                ? _rates with { FailingCalls = _rates.FailingCalls + calls, FailingErrors = _rates.FailingErrors + errors, FailingSessionsWithErrors = _rates.FailingSessionsWithErrors + withErrors }
                : _rates with { UngradedCalls = _rates.UngradedCalls + calls, UngradedErrors = _rates.UngradedErrors + errors };
    }

    private void AddErrors(SessionDigest digest)
    {
        foreach (var group in digest.ToolErrors.GroupBy(e => (e.Tool, e.Signature)))
        {
            if (!_errors.TryGetValue(group.Key, out var pattern))
            {
                _errors[group.Key] = pattern = new ErrorAccumulator(group.Key.Tool, group.Key.Signature, group.First().Message);
            }

            pattern.Occurrences += group.Count();
            pattern.AddSession(digest);
            pattern.PassingSessions += digest.Passed ? 1 : 0;
            pattern.FixedSessions += group.Any(e => e.Fix is not null) ? 1 : 0;
            pattern.Cite(group.Select(e => e.ResultEventId));
            foreach (var fixes in group.Select(e => e.Fix).OfType<DigestToolFix>().GroupBy(f => f.Change, StringComparer.Ordinal))
            {
                if (!pattern.Fixes.TryGetValue(fixes.Key, out var fix))
                {
                    pattern.Fixes[fixes.Key] = fix = new FixAccumulator();
                }

                fix.Occurrences += fixes.Count();
                fix.AddSession(digest);
                fix.Cite(fixes.Select(f => f.ToolUseEventId).Distinct(StringComparer.Ordinal));
            }
        }
    }

    private void AddDetours(SessionDigest digest)
    {
        foreach (var repeat in digest.Repeats)
        {
            var key = (repeat.Kind, repeat.Tool, repeat.Signature);
            if (!_detours.TryGetValue(key, out var detour))
            {
                _detours[key] = detour = new DetourAccumulator(repeat.Kind, repeat.Tool, repeat.Signature);
            }

            detour.Extra += repeat.Count - 1;
            detour.AddSession(digest);
            detour.Cite(repeat.EventIds);
        }
    }

    private void AddReasons(SessionDigest digest)
    {
        var seen = new HashSet<(string, bool)>();
        foreach (var verdict in digest.Verdicts.Where(v => v.Result != OutcomeResult.Satisfied))
        {
            IEnumerable<(string Criterion, bool FromExplanation, string Evidence)> reasons = verdict.UnmetCriteria.Count > 0
                ? verdict.UnmetCriteria.Select(f => (f.Criterion, false, f.Evidence))
                : [(ErrorSignatures.Normalize(verdict.Explanation), true, verdict.Explanation)];
            foreach (var (criterion, fromExplanation, evidence) in reasons)
            {
                if (!_reasons.TryGetValue((criterion, fromExplanation), out var reason))
                {
                    _reasons[(criterion, fromExplanation)] = reason = new ReasonAccumulator(criterion, fromExplanation, evidence);
                }

                reason.Occurrences++;
                if (seen.Add((criterion, fromExplanation)))
                {
                    reason.AddSession(digest);
                }

                reason.Cite([verdict.EventId]);
            }
        }
    }

    private void AddMemories(SessionDigest digest)
    {
        foreach (var group in digest.Memories.GroupBy(m => m.Path, StringComparer.Ordinal))
        {
            if (!_memories.TryGetValue(group.Key, out var memory))
            {
                _memories[group.Key] = memory = new MemoryAccumulator(group.Key);
            }

            memory.AddSession(digest);
            if (group.Any(m => !m.IsWrite))
            {
                _ = digest.Passed ? memory.ReadInPassing++ : digest.Failed ? memory.ReadInFailing++ : memory.ReadInUngraded++;
            }

            memory.WrittenIn += group.Any(m => m.IsWrite) ? 1 : 0;
            memory.Cite(group.Select(m => m.ToolUseEventId));
        }
    }

    // Only sessions that ended well teach a workflow worth repeating.
    private void AddWorkflow(SessionDigest digest)
    {
        if (!digest.Passed || digest.Workflow.Count < MinWorkflowSteps)
        {
            return;
        }

        var steps = digest.Workflow.Select(s => s.Tool).ToList();
        var key = string.Join('\n', steps);
        if (!_workflows.TryGetValue(key, out var workflow))
        {
            _workflows[key] = workflow = new WorkflowAccumulator(steps);
        }

        workflow.AddSession(digest);
        workflow.Cite(digest.Workflow.Select(s => s.ToolUseEventId));
    }

    private static void AddCapped(List<string> list, IEnumerable<string> items)
    {
        foreach (var item in items)
        {
            if (list.Count >= MaxEvidence)
            {
                return;
            }

            list.Add(item);
        }
    }

    private sealed class ToolAccumulator(string tool)
    {
        public string Tool { get; } = tool;
        public int Calls { get; set; }
        public int Errors { get; set; }
        public int Sessions { get; set; }
        public int PassingCalls { get; set; }
        public int PassingErrors { get; set; }
        public int FailingCalls { get; set; }
        public int FailingErrors { get; set; }
    }

    // The sessions behind a pattern, the tasks they named and the events it cites (at most MaxEvidence).
    private abstract class Evidence
    {
        public List<string> Sessions { get; } = [];
        public HashSet<string> Tasks { get; } = new(StringComparer.Ordinal);
        public List<string> EventIds { get; } = [];

        public void AddSession(SessionDigest digest)
        {
            Sessions.Add(digest.SessionId);
            if (digest.TaskId is { } task)
            {
                Tasks.Add(task);
            }
        }

        public void Cite(IEnumerable<string> eventIds) => AddCapped(EventIds, eventIds);
    }

    private sealed class ErrorAccumulator(string tool, string signature, string example) : Evidence
    {
        public string Tool { get; } = tool;
        public string Signature { get; } = signature;
        public string Example { get; } = example;
        public int Occurrences { get; set; }
        public int FixedSessions { get; set; }
        public int PassingSessions { get; set; }
        public Dictionary<string, FixAccumulator> Fixes { get; } = new(StringComparer.Ordinal);
    }

    private sealed class FixAccumulator : Evidence
    {
        public int Occurrences { get; set; }
    }

    private sealed class DetourAccumulator(string kind, string tool, string signature) : Evidence
    {
        public string Kind { get; } = kind;
        public string Tool { get; } = tool;
        public string Signature { get; } = signature;
        public int Extra { get; set; }
    }

    private sealed class ReasonAccumulator(string criterion, bool fromExplanation, string example) : Evidence
    {
        public string Criterion { get; } = criterion;
        public bool FromExplanation { get; } = fromExplanation;
        public string Example { get; } = SessionDigester.Truncate(example, 300);
        public int Occurrences { get; set; }
    }

    private sealed class WorkflowAccumulator(IReadOnlyList<string> steps) : Evidence
    {
        public IReadOnlyList<string> Steps { get; } = steps;
    }

    private sealed class MemoryAccumulator(string path) : Evidence
    {
        public string Path { get; } = path;
        public int ReadInPassing { get; set; }
        public int ReadInFailing { get; set; }
        public int ReadInUngraded { get; set; }
        public int WrittenIn { get; set; }
    }
}
