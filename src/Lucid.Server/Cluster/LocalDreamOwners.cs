using Lucid.Dreams;

namespace Lucid.Server.Cluster;

/// <summary>A single node runs every dream.</summary>
internal sealed class LocalDreamOwners(DreamRunner runner) : IDreamOwners
{
    public void Start(string id) => runner.Start(id);

    public void Cancel(string dreamId) => runner.Cancel(dreamId);

    public Task<int> RecoverAsync(CancellationToken cancellationToken) => runner.RecoverAsync(cancellationToken);
}
