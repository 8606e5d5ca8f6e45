namespace Lucid.Evals;

/// <summary>
/// What an eval runs: tasks, each tried <see cref="Trials"/> times in every arm, by one agent in one environment. Read
/// from a suite file or a request by <see cref="EvalSuiteReader"/>.
/// </summary>
public sealed record EvalSuite
{
    /// <summary>The default of <see cref="Trials"/>.</summary>
    public const int DefaultTrials = 4;

    /// <summary>The default of <see cref="Concurrency"/>.</summary>
    public const int DefaultConcurrency = 4;

    /// <summary>A name for people.</summary>
    public string Name { get; init; } = "";

    /// <summary>The agent that does the tasks: a saved one, or one defined inline and created when the run starts.</summary>
    public required EvalAgent Agent { get; init; }

    /// <summary>The environment the sessions run in: a saved one, or null for a new environment with the default config.</summary>
    public string? EnvironmentId { get; init; }

    /// <summary>The tasks, with unique IDs.</summary>
    public required IReadOnlyList<EvalTask> Tasks { get; init; }

    /// <summary>The arms compared, with unique names; the first is the baseline the others are compared with.</summary>
    public required IReadOnlyList<EvalArm> Arms { get; init; }

    /// <summary>Trials per task per arm.</summary>
    public int Trials { get; init; } = DefaultTrials;

    /// <summary>The most trials running at once.</summary>
    public int Concurrency { get; init; } = DefaultConcurrency;

    /// <summary>Evaluate-then-revise cycles each trial's outcome gets (1 by default: one attempt).</summary>
    public int MaxIterations { get; init; } = 1;

    /// <summary>The grader's model, when not the agent's.</summary>
    public string? GraderModel { get; init; }
}
