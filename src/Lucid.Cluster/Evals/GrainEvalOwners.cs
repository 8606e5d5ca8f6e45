using Lucid.Cluster.Runs;
using Lucid.Evals;
using Lucid.Server.Cluster;
using Microsoft.Extensions.Logging;

namespace Lucid.Cluster.Evals;

/// <summary>Runs each eval run through its <see cref="IEvalGrain"/>, on whichever node the grain is active on.</summary>
internal sealed class GrainEvalOwners(IGrainFactory grains, EvalRunner runner, ILogger<GrainEvalOwners> logger)
    : GrainRunOwners<IEvalGrain>(grains, runner, logger), IEvalOwners;
