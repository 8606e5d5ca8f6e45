using Lucid.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lucid.Server.Health;

/// <summary>Healthy while the store answers a read; a read that fails makes the check unhealthy (the health check service catches it).</summary>
internal sealed class StoreHealthCheck(ILucidStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await store.ListApiKeysAsync(cancellationToken);
        return HealthCheckResult.Healthy("The store answers.");
    }
}
