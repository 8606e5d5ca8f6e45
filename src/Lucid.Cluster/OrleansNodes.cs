using Lucid.Server.Cluster;
using Orleans.Runtime;

namespace Lucid.Cluster;

/// <summary>The cluster's members, from Orleans' membership table, with the sessions each owns.</summary>
internal sealed class OrleansNodes(IGrainFactory grains, ILocalSiloDetails self, string clusterId) : IClusterNodes
{
    public string? ClusterId => clusterId;

    public async Task<IReadOnlyList<ClusterNode>> ListAsync(CancellationToken cancellationToken)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false, cancellationToken);
        return [.. hosts
            .OrderBy(host => host.StartTime)
            .Select(host => new ClusterNode(
                host.SiloName,
                host.SiloAddress.Endpoint.ToString(),
                Status(host.Status),
                new DateTimeOffset(DateTime.SpecifyKind(host.StartTime, DateTimeKind.Utc)),
                // Sessions have no owning node yet: each node runs the sessions it is asked to (docs/deployment.md).
                SessionsOwned: 0,
                host.SiloAddress.Equals(self.SiloAddress)))];
    }

    private static ClusterNodeStatus Status(SiloStatus status) => status switch
    {
        SiloStatus.Active => ClusterNodeStatus.Active,
        SiloStatus.ShuttingDown or SiloStatus.Stopping => ClusterNodeStatus.ShuttingDown,
        SiloStatus.Dead => ClusterNodeStatus.Dead,
        _ => ClusterNodeStatus.Joining,
    };
}
