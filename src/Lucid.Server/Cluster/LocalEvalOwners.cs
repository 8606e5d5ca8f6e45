using Lucid.Evals;

namespace Lucid.Server.Cluster;

/// <summary>A single node runs every eval run.</summary>
internal sealed class LocalEvalOwners(EvalRunner runner) : IEvalOwners
{
    public void Start(string id) => runner.Start(id);

    public Task<int> RecoverAsync(CancellationToken cancellationToken) => runner.RecoverAsync(cancellationToken);
}
