namespace Lucid.Evals;

/// <summary>How one task did in one arm.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Passed">Its trials that passed.</param>
/// <param name="Trials">Its trials.</param>
public sealed record EvalTaskScore(string TaskId, int Passed, int Trials)
{
    /// <summary>Passed over trials.</summary>
    public double PassRate => Trials == 0 ? 0 : (double)Passed / Trials;
}
