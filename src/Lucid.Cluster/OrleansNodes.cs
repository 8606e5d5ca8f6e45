using Lucid.Cluster.Sessions;
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
        var owned = await SessionsOwnedAsync(management, cancellationToken);
        return [.. hosts
            .OrderBy(host => host.StartTime)
            .Select(host => new ClusterNode(
                host.SiloName,
                host.SiloAddress.Endpoint.ToString(),
                Status(host.Status),
                new DateTimeOffset(DateTime.SpecifyKind(host.StartTime, DateTimeKind.Utc)),
                owned.GetValueOrDefault(host.SiloAddress),
                host.SiloAddress.Equals(self.SiloAddress)))];
    }

    // A node owns the sessions whose grains are active on it.
    private static async Task<Dictionary<SiloAddress, int>> SessionsOwnedAsync(IManagementGrain management, CancellationToken cancellationToken)
    {
        var statistics = await management.GetSimpleGrainStatistics(cancellationToken);
        return statistics
            .Where(statistic => statistic.GrainType.Contains(nameof(SessionGrain), StringComparison.Ordinal))
            .GroupBy(statistic => statistic.SiloAddress)
            .ToDictionary(group => group.Key, group => group.Sum(statistic => statistic.ActivationCount));
    }

    private static ClusterNodeStatus Status(SiloStatus status) => status switch
    {
        SiloStatus.Active => ClusterNodeStatus.Active,
        SiloStatus.ShuttingDown or SiloStatus.Stopping => ClusterNodeStatus.ShuttingDown,
        SiloStatus.Dead => ClusterNodeStatus.Dead,
        _ => ClusterNodeStatus.Joining,
    };
}
