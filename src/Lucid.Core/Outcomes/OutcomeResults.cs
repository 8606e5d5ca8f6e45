namespace Lucid.Outcomes;

/// <summary>The values of an outcome's result, as the API names them.</summary>
public static class OutcomeResults
{
    /// <summary>Defined; the agent has not begun.</summary>
    public const string Pending = "pending";

    /// <summary>The agent is producing or revising the deliverable.</summary>
    public const string Running = "running";

    /// <summary>The grader is scoring.</summary>
    public const string Evaluating = "evaluating";

    /// <summary>Not yet met; another cycle follows (an evaluation's verdict, not a final result).</summary>
    public const string NeedsRevision = "needs_revision";

    /// <summary>Terminal: the criteria are met.</summary>
    public const string Satisfied = "satisfied";

    /// <summary>Terminal: the budget of cycles was spent with criteria still unmet.</summary>
    public const string MaxIterationsReached = "max_iterations_reached";

    /// <summary>Terminal: the rubric does not apply, or grading itself failed.</summary>
    public const string Failed = "failed";

    /// <summary>Terminal: the user interrupted while the grader was scoring.</summary>
    public const string Interrupted = "interrupted";

    /// <summary>Whether a result ends the outcome.</summary>
    public static bool IsTerminal(string result) => result is Satisfied or MaxIterationsReached or Failed or Interrupted;
}
