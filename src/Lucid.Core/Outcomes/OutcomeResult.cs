using System.Text.Json.Serialization;

namespace Lucid.Outcomes;

/// <summary>An outcome's result, or one evaluation's verdict; named on the wire and in stores by <see cref="OutcomeResultNames"/>.</summary>
[JsonConverter(typeof(OutcomeResultNames.Converter))]
public enum OutcomeResult
{
    /// <summary>Defined; the agent has not begun.</summary>
    Pending,

    /// <summary>The agent is producing or revising the deliverable.</summary>
    Running,

    /// <summary>The grader is scoring.</summary>
    Evaluating,

    /// <summary>Not yet met; another cycle follows (an evaluation's verdict, not a final result).</summary>
    NeedsRevision,

    /// <summary>Terminal: the criteria are met.</summary>
    Satisfied,

    /// <summary>Terminal: the budget of cycles was spent with criteria still unmet.</summary>
    MaxIterationsReached,

    /// <summary>Terminal: the rubric does not apply, or grading itself failed.</summary>
    Failed,

    /// <summary>Terminal: the user interrupted while the grader was scoring.</summary>
    Interrupted,
}
