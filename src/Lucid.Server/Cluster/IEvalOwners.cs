namespace Lucid.Server.Cluster;

/// <summary>
/// Where eval runs run: each on one node at a time. On a single node that is this one; in a cluster, the node the run's
/// grain lives on. A recovery fails the runs left pending or running (see <see cref="Lucid.Evals.EvalRunner"/>).
/// </summary>
internal interface IEvalOwners : IRunOwners;
