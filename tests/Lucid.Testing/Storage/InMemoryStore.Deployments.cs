using Lucid.Deployments;
using Lucid.Storage;
using Lucid.Webhooks;

namespace Lucid.Testing.Storage;

public sealed partial class InMemoryStore
{
    private readonly Dictionary<string, Deployment> _deployments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeploymentRun> _runs = new(StringComparer.Ordinal);

    public Task CreateDeploymentAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_deployments.TryAdd(deployment.Id, deployment))
            {
                throw new InvalidOperationException($"Deployment '{deployment.Id}' already exists.");
            }

            RecordWebhooks([WebhookTriggers.OfNewDeployment(deployment)]);
        }

        return Task.CompletedTask;
    }

    public Task<bool> UpdateDeploymentAsync(Deployment deployment, CancellationToken cancellationToken) => Task.FromResult(Replace(_deployments, deployment.Id, deployment, WebhookTriggers.OfDeploymentChange));

    public Task<Deployment?> GetDeploymentAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_deployments.GetValueOrDefault(id));
        }
    }

    public Task<Page<Deployment>> ListDeploymentsAsync(string? workspaceId, DeploymentQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Paginate(
                _deployments.Values.Where(d => (workspaceId is null || d.WorkspaceId == workspaceId) && query.Matches(d))
                    .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id, StringComparer.Ordinal).ToList(),
                page));
        }
    }

    public Task<bool> TryAddRunAsync(DeploymentRun run, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Like the real stores' unique index on (deployment_id, scheduled_at).
            if (run.ScheduledAt is { } tick && _runs.Values.Any(r => r.DeploymentId == run.DeploymentId && r.ScheduledAt == tick))
            {
                return Task.FromResult(false);
            }

            if (!_runs.TryAdd(run.Id, run))
            {
                return Task.FromResult(false);
            }

            RecordWebhooks([WebhookTriggers.OfDeploymentRun(run, run.CreatedAt)]);
            return Task.FromResult(true);
        }
    }

    public Task<bool> UpdateRunAsync(DeploymentRun run, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!Replace(_runs, run.Id, run))
            {
                return Task.FromResult(false);
            }

            if (run.SessionId is not null || run.Error is not null)
            {
                RecordWebhooks([WebhookTriggers.OfDeploymentRun(run, Clock.GetUtcNow())]);
            }

            return Task.FromResult(true);
        }
    }

    public Task<DeploymentRun?> GetRunAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_runs.GetValueOrDefault(id));
        }
    }

    public Task<Page<DeploymentRun>> ListRunsAsync(string? workspaceId, DeploymentRunQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Paginate(
                _runs.Values.Where(r => (workspaceId is null || r.WorkspaceId == workspaceId) && query.Matches(r))
                    .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal).ToList(),
                page));
        }
    }
}
