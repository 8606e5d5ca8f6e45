using Lucid.Outcomes;

namespace Lucid.Evals;

/// <summary>One task of a suite: a trial is a session whose outcome is this prompt, graded against this rubric.</summary>
public sealed record EvalTask
{
    /// <summary>The task's ID in the suite; sessions carry it as <c>task_id</c> in their metadata.</summary>
    public required string Id { get; init; }

    /// <summary>What the agent is asked to do: the outcome's description.</summary>
    public required string Prompt { get; init; }

    /// <summary>The outcome rubric the grader checks the deliverable against.</summary>
    public required string Rubric { get; init; }

    /// <summary>Deterministic checks run in the session's directory before the grader.</summary>
    public IReadOnlyList<OutcomeCheck> Checks { get; init; } = [];

    /// <summary>Files written into each trial's directory before it starts: relative path to text.</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();
}
