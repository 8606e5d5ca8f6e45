namespace Lucid.Evals;

/// <summary>
/// An arm paired with the baseline task by task: each task's pass rate in the arm less its rate in the baseline, the
/// tasks that got better or worse, and the exact sign test over them (McNemar's exact test when each task has one trial).
/// </summary>
public sealed record EvalComparison
{
    /// <summary>The baseline arm.</summary>
    public required string Baseline { get; init; }

    /// <summary>The arm compared with it.</summary>
    public required string Arm { get; init; }

    /// <summary>The per-task differences in pass rate (arm less baseline), averaged over tasks.</summary>
    public required double MeanDifference { get; init; }

    /// <summary>Tasks whose pass rate is higher in the arm, with both rates.</summary>
    public required IReadOnlyList<EvalTaskFlip> Improved { get; init; }

    /// <summary>Tasks whose pass rate is lower in the arm, with both rates.</summary>
    public required IReadOnlyList<EvalTaskFlip> Regressed { get; init; }

    /// <summary>Tasks whose pass rate is the same in both.</summary>
    public required int Unchanged { get; init; }

    /// <summary>The two-sided exact sign test's p-value over <see cref="Improved"/> against <see cref="Regressed"/>.</summary>
    public required double PValue { get; init; }
}
