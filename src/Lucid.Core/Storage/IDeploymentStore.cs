using Lucid.Deployments;

namespace Lucid.Storage;

/// <summary>Persists deployments and their runs; a scheduled run is unique per deployment and tick.</summary>
public interface IDeploymentStore
{
    /// <summary>Stores a new deployment.</summary>
    Task CreateDeploymentAsync(Deployment deployment, CancellationToken cancellationToken);

    /// <summary>Replaces a stored deployment. Returns false when absent.</summary>
    Task<bool> UpdateDeploymentAsync(Deployment deployment, CancellationToken cancellationToken);

    /// <summary>Returns a deployment, or null.</summary>
    Task<Deployment?> GetDeploymentAsync(string id, CancellationToken cancellationToken);

    /// <summary>Lists a workspace's deployments (every workspace's when null), newest first.</summary>
    Task<Page<Deployment>> ListDeploymentsAsync(string? workspaceId, DeploymentQuery query, PageRequest page, CancellationToken cancellationToken);

    /// <summary>
    /// Records a run. Returns false, storing nothing, when a run of the same deployment and
    /// <see cref="DeploymentRun.ScheduledAt"/> exists: this is what keeps two nodes or a restart from running a tick twice.
    /// </summary>
    Task<bool> TryAddRunAsync(DeploymentRun run, CancellationToken cancellationToken);

    /// <summary>Records the outcome (session or error) of a run. Returns false when absent.</summary>
    Task<bool> UpdateRunAsync(DeploymentRun run, CancellationToken cancellationToken);

    /// <summary>Returns a run, or null.</summary>
    Task<DeploymentRun?> GetRunAsync(string id, CancellationToken cancellationToken);

    /// <summary>Lists a workspace's runs (every workspace's when null), newest first.</summary>
    Task<Page<DeploymentRun>> ListRunsAsync(string? workspaceId, DeploymentRunQuery query, PageRequest page, CancellationToken cancellationToken);
}
