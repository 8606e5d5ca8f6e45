namespace Lucid.Evals;

/// <summary>The metadata keys that tag a trial's session, so it can be found, inspected and dreamed on.</summary>
public static class EvalMetadata
{
    /// <summary>The run's ID.</summary>
    public const string RunId = "eval_run_id";

    /// <summary>The arm's name.</summary>
    public const string Arm = "eval_arm";

    /// <summary>The task's ID; dreams read it to tell tasks apart.</summary>
    public const string TaskId = "task_id";

    /// <summary>The trial's number, from 1.</summary>
    public const string Trial = "eval_trial";

    /// <summary>On the trials of a run that validates a dream's lesson by replay: the dream's ID.</summary>
    public const string ValidatesDreamId = "lucid.validates_dream_id";
}
