namespace Lucid.Evals;

/// <summary>A task that did better or worse in an arm than in the baseline.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="BaselinePassRate">Its pass rate in the baseline.</param>
/// <param name="ArmPassRate">Its pass rate in the arm.</param>
public sealed record EvalTaskFlip(string TaskId, double BaselinePassRate, double ArmPassRate);
