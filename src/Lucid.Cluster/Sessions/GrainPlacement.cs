using Lucid.Sessions;

namespace Lucid.Cluster.Sessions;

/// <summary>Makes the node that creates a session its owner: the session's grain is activated here before its runner starts.</summary>
internal sealed class GrainPlacement(IGrainFactory grains) : ISessionPlacement
{
    public Task ClaimAsync(string sessionId, CancellationToken cancellationToken) =>
        grains.GetGrain<ISessionGrain>(sessionId).ClaimAsync().WaitAsync(cancellationToken);
}
