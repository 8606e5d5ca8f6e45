namespace Lucid.Evals;

/// <summary>A run's progress: how many of its trials have finished, and the latest.</summary>
/// <param name="Done">Trials finished.</param>
/// <param name="Total">Trials in all.</param>
/// <param name="Latest">The trial that just finished.</param>
public sealed record EvalProgress(int Done, int Total, EvalTrial Latest);
