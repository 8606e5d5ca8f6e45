using System.Text.Json.Serialization;
using Lucid.Outcomes;
using Lucid.Sessions;

namespace Lucid.Evals;

/// <summary>One trial of a task in an arm: the session that ran it and what its outcome came to.</summary>
public sealed record EvalTrial
{
    /// <summary>The arm's name.</summary>
    public required string Arm { get; init; }

    /// <summary>The task's ID.</summary>
    public required string TaskId { get; init; }

    /// <summary>The trial's number, from 1.</summary>
    public required int Trial { get; init; }

    /// <summary>The session that ran it, or null when none could be created.</summary>
    public string? SessionId { get; init; }

    /// <summary>The outcome's final result, or <see cref="OutcomeResult.Pending"/> when it never got one.</summary>
    public OutcomeResult Result { get; init; }

    /// <summary>Whether it passed: its outcome was <c>satisfied</c> (which a failed check never allows).</summary>
    [JsonIgnore]
    public bool Passed => Result == OutcomeResult.Satisfied;

    /// <summary>The session's usage: the agent's and the grader's tokens and list cost.</summary>
    public SessionUsage Usage { get; init; } = SessionUsage.Zero;

    /// <summary>Why the trial did not run to a verdict, or null.</summary>
    public string? Error { get; init; }
}
