using Lucid.Cluster.Runs;

namespace Lucid.Cluster.Evals;

/// <summary>An eval run's runner in the cluster (<see cref="IRunGrain"/>): settling fails the run if no node runs it any more.</summary>
public interface IEvalGrain : IRunGrain;
