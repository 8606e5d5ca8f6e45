using Lucid.Outcomes;
using Lucid.Sessions;

namespace Lucid.Events;

/// <summary>Input: an outcome the agent works toward, graded against a rubric. Its echo carries the server's <c>outc_</c> ID.</summary>
public sealed record UserDefineOutcomeEvent : SessionEvent
{
    /// <summary>The default of <see cref="MaxIterations"/>.</summary>
    public const int DefaultMaxIterations = 3;

    /// <summary>The most <see cref="MaxIterations"/> may be.</summary>
    public const int MostIterations = 20;

    /// <summary>The outcome's ID, assigned by the server.</summary>
    public string OutcomeId { get; init; } = "";

    /// <summary>What the agent should produce: the task.</summary>
    public required string Description { get; init; }

    /// <summary>How to grade it.</summary>
    public required OutcomeRubric Rubric { get; init; }

    /// <summary>Evaluate-then-revise cycles before giving up (1–20, default 3).</summary>
    public int MaxIterations { get; init; } = DefaultMaxIterations;

    /// <summary>Lucid: deterministic checks run before the model grader.</summary>
    public IReadOnlyList<OutcomeCheck>? Checks { get; init; }

    /// <summary>Lucid: the grader's model, when not the agent's.</summary>
    public string? GraderModel { get; init; }

    /// <summary>Lucid: independent gradings whose majority decides (default 1).</summary>
    public int? GraderSamples { get; init; }
}

/// <summary>A rubric: text, or a file of the Files API whose text is read when the outcome is sent and kept with it.</summary>
/// <param name="Type"><c>text</c>, or <c>file</c>.</param>
/// <param name="Content">The rubric, plain text or markdown (a file rubric's text; empty until it is read).</param>
/// <param name="FileId">For a file rubric, the file; null for a text rubric.</param>
public sealed record OutcomeRubric(string Type, string Content, string? FileId = null)
{
    /// <summary>A text rubric.</summary>
    public static OutcomeRubric Text(string content) => new("text", content);

    /// <summary>A file rubric whose text is still to be read.</summary>
    public static OutcomeRubric File(string fileId) => new("file", "", fileId);
}

/// <summary>An evaluation cycle of an outcome began.</summary>
public sealed record SpanOutcomeEvaluationStartEvent : SessionEvent
{
    /// <summary>The outcome.</summary>
    public required string OutcomeId { get; init; }

    /// <summary>The 0-based cycle.</summary>
    public required int Iteration { get; init; }
}

/// <summary>Heartbeat while the grader works.</summary>
public sealed record SpanOutcomeEvaluationOngoingEvent : SessionEvent
{
    /// <summary>The outcome.</summary>
    public required string OutcomeId { get; init; }

    /// <summary>The 0-based cycle.</summary>
    public required int Iteration { get; init; }
}

/// <summary>An evaluation cycle ended with a verdict.</summary>
public sealed record SpanOutcomeEvaluationEndEvent : SessionEvent
{
    /// <summary>The outcome.</summary>
    public required string OutcomeId { get; init; }

    /// <summary>The matching start event.</summary>
    public required string OutcomeEvaluationStartId { get; init; }

    /// <summary>The 0-based cycle.</summary>
    public required int Iteration { get; init; }

    /// <summary><c>satisfied</c>, <c>needs_revision</c>, <c>max_iterations_reached</c>, <c>failed</c> or <c>interrupted</c>.</summary>
    public required OutcomeResult Result { get; init; }

    /// <summary>Why; for <c>needs_revision</c>, which criteria failed.</summary>
    public required string Explanation { get; init; }

    /// <summary>Token usage of the cycle's grader requests.</summary>
    public SessionUsage Usage { get; init; } = SessionUsage.Zero;

    /// <summary>Lucid: the grader's per-criterion findings.</summary>
    public IReadOnlyList<OutcomeFinding>? Findings { get; init; }

    /// <summary>Lucid: the deterministic checks' results.</summary>
    public IReadOnlyList<CheckResult>? Checks { get; init; }

    /// <summary>Lucid: each grader sample's verdict, when more than one was taken.</summary>
    public IReadOnlyList<string>? SampleVerdicts { get; init; }
}

/// <summary>
/// Lucid only, never served by the API: the work directory's files when work toward an outcome began, so that the
/// grader is told what changed since, even when the runner that recorded it is gone (a restart, a retired runner).
/// </summary>
public sealed record OutcomeBaselineEvent : SessionEvent
{
    /// <summary>The outcome.</summary>
    public required string OutcomeId { get; init; }

    /// <summary>The files in ordinal path order: all of them, or the first when the directory held more than a baseline records.</summary>
    public required IReadOnlyList<BaselineFile> Files { get; init; }

    /// <summary>How many files the directory held, recorded or not.</summary>
    public required int FileCount { get; init; }
}
