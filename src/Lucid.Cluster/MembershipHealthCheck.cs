using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace Lucid.Cluster;

/// <summary>Healthy while this node is an active member of the cluster, as its own view of the membership has it.</summary>
internal sealed class MembershipHealthCheck(IClusterMembershipService membership, ILocalSiloDetails self) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(self.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("This node is an active member of the cluster.")
            : HealthCheckResult.Unhealthy($"This node is not an active member of the cluster (its status: {status})."));
    }
}
