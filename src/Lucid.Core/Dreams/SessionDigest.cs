using Lucid.Sessions;

namespace Lucid.Dreams;

/// <summary>
/// One session reduced, without a model, to what a dream learns from: the task, the outcome verdicts, tool errors and
/// how they were fixed, retries and loops, tokens, and memories read and written. Every item names the events it came
/// from. Recalled memory text is never part of a digest.
/// </summary>
public sealed record SessionDigest
{
    /// <summary>The session.</summary>
    public required string SessionId { get; init; }

    /// <summary>The task the session worked on (<see cref="SessionTasks.TaskIdKey"/>), or null when it names none.</summary>
    public string? TaskId { get; init; }

    /// <summary>Where the session was imported from (<c>lucid.import.source</c>), or null for a native session.</summary>
    public string? ImportSource { get; init; }

    /// <summary>The task: the first user message's text (at most 2,000 characters), or the first outcome's description.</summary>
    public string? Task { get; init; }

    /// <summary>The event the task came from.</summary>
    public string? TaskEventId { get; init; }

    /// <summary>How many events the session has.</summary>
    public int EventCount { get; init; }

    /// <summary>Every outcome evaluation's verdict, in order.</summary>
    public IReadOnlyList<DigestVerdict> Verdicts { get; init; } = [];

    /// <summary>The last terminal outcome result (<c>satisfied</c>, <c>failed</c>, …), or null when no outcome ended.</summary>
    public Outcomes.OutcomeResult? FinalResult { get; init; }

    /// <summary>Calls and failures per tool, in first-use order.</summary>
    public IReadOnlyList<DigestToolCount> Tools { get; init; } = [];

    /// <summary>Every failed tool call, with the fix that followed when the same tool next succeeded.</summary>
    public IReadOnlyList<DigestToolError> ToolErrors { get; init; } = [];

    /// <summary>Detours: identical calls repeated, and the same error met again.</summary>
    public IReadOnlyList<DigestRepeat> Repeats { get; init; } = [];

    /// <summary>Errors the session itself recorded (<c>session.error</c>).</summary>
    public IReadOnlyList<DigestSessionError> SessionErrors { get; init; } = [];

    /// <summary>Token usage and how much of it went to requests whose tool calls all failed.</summary>
    public DigestTokens Tokens { get; init; } = new();

    /// <summary>
    /// The session's workflow: its successful tool calls in the order they were made, repeats of one tool in a row as
    /// one step, failed calls and memory reads and writes left out.
    /// </summary>
    public IReadOnlyList<DigestStep> Workflow { get; init; } = [];

    /// <summary>Memory paths read and written, without their content.</summary>
    public IReadOnlyList<DigestMemoryAccess> Memories { get; init; } = [];

    /// <summary>Whether the session passed: its final outcome is <c>satisfied</c>.</summary>
    public bool Passed => FinalResult == Outcomes.OutcomeResult.Satisfied;

    /// <summary>Whether the session failed: its final outcome is <c>failed</c> or <c>max_iterations_reached</c>.</summary>
    public bool Failed => FinalResult is Outcomes.OutcomeResult.Failed or Outcomes.OutcomeResult.MaxIterationsReached;
}
