using Lucid.Cluster.Runs;
using Lucid.Evals;
using Orleans.Placement;

namespace Lucid.Cluster.Evals;

/// <summary>
/// The runner of one eval run (<see cref="IEvalGrain"/>). It is placed on the node that first calls it: the one that
/// created the run, or, after that node stopped, the first node to settle it.
/// </summary>
[PreferLocalPlacement]
internal sealed class EvalGrain(EvalRunner runner) : RunGrain<EvalRunner>(runner), IEvalGrain;
