using Lucid.Sessions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Lucid.Server.Cluster;

/// <summary>The one node of a server in no cluster (on SQLite): it owns every session that has a runner.</summary>
internal sealed class SingleNode(IServer server, SessionEngine engine, TimeProvider time) : IClusterNodes
{
    private readonly DateTimeOffset _started = time.GetUtcNow();

    public string? ClusterId => null;

    public Task<IReadOnlyList<ClusterNode>> ListAsync(CancellationToken cancellationToken)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "";
        IReadOnlyList<ClusterNode> nodes = [new ClusterNode(Environment.MachineName, address, ClusterNodeStatus.Active, _started, engine.LiveSessions, Self: true)];
        return Task.FromResult(nodes);
    }
}
