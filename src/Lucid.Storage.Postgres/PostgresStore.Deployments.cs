using System.Text.Json;
using Lucid.Deployments;
using Lucid.Json;
using Lucid.Webhooks;
using Npgsql;
using static Lucid.Storage.Postgres.StoredValues;

namespace Lucid.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public Task CreateDeploymentAsync(Deployment deployment, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await connection.ExecuteAsync("INSERT INTO deployments (id, workspace_id, created_at, archived_at, json) VALUES (@id, @workspace, @created, @archived, @json)",
                CancellationToken.None,
                ("@id", deployment.Id), ("@workspace", deployment.WorkspaceId), ("@created", Time(deployment.CreatedAt)),
                ("@archived", Time(deployment.ArchivedAt)), ("@json", JsonSerializer.Serialize(deployment, LucidJsonContext.Default.Deployment)));
            await WebhookOutbox.RecordAsync(connection, [WebhookTriggers.OfNewDeployment(deployment)]);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateDeploymentAsync(Deployment deployment, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            if (await connection.QuerySingleAsync("SELECT json FROM deployments WHERE id = @id FOR UPDATE", ReadDeployment, CancellationToken.None, ("@id", deployment.Id)) is not { } current)
            {
                return false;
            }

            await connection.ExecuteAsync("UPDATE deployments SET archived_at = @archived, json = @json WHERE id = @id", CancellationToken.None,
                ("@id", deployment.Id), ("@archived", Time(deployment.ArchivedAt)),
                ("@json", JsonSerializer.Serialize(deployment, LucidJsonContext.Default.Deployment)));
            await WebhookOutbox.RecordAsync(connection, WebhookTriggers.OfDeploymentChange(current, deployment));
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<Deployment?> GetDeploymentAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync("SELECT json FROM deployments WHERE id = @id", ReadDeployment, cancellationToken, ("@id", id));
    }

    /// <inheritdoc />
    public async Task<Page<Deployment>> ListDeploymentsAsync(string? workspaceId, DeploymentQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var list = KeysetQuery.ByCreation("json", "deployments", page)
            .WhereTime("created_at", null, query.CreatedAtOrAfter, null, query.CreatedAtOrBefore);
        if (workspaceId is not null)
        {
            list.Where("workspace_id = @workspace", ("@workspace", workspaceId));
        }

        if (!query.IncludeArchived)
        {
            list.Where("archived_at IS NULL");
        }

        if (query.AgentId is not null)
        {
            list.Where("json::jsonb ->> 'agent_id' = @agent", ("@agent", query.AgentId));
        }

        if (query.Paused is { } paused)
        {
            list.Where(paused ? "json::jsonb ->> 'paused_at' IS NOT NULL" : "json::jsonb ->> 'paused_at' IS NULL");
        }

        if (query.ScheduledOnly)
        {
            list.Where("json::jsonb ->> 'schedule' IS NOT NULL");
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await list.ReadAsync(connection, ReadDeployment, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> TryAddRunAsync(DeploymentRun run, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            // The unique index on (deployment_id, scheduled_at) turns a second claim of a tick into a no-op.
            var added = await connection.ExecuteAsync(
                "INSERT INTO deployment_runs (id, workspace_id, deployment_id, scheduled_at, created_at, json) VALUES (@id, @workspace, @deployment, @scheduled, @created, @json) ON CONFLICT DO NOTHING",
                CancellationToken.None,
                ("@id", run.Id), ("@workspace", run.WorkspaceId), ("@deployment", run.DeploymentId), ("@scheduled", Time(run.ScheduledAt)),
                ("@created", Time(run.CreatedAt)), ("@json", JsonSerializer.Serialize(run, LucidJsonContext.Default.DeploymentRun))) > 0;
            if (added)
            {
                await WebhookOutbox.RecordAsync(connection, [WebhookTriggers.OfDeploymentRun(run, run.CreatedAt)]);
            }

            return added;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateRunAsync(DeploymentRun run, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var updated = await connection.ExecuteAsync("UPDATE deployment_runs SET json = @json WHERE id = @id", CancellationToken.None,
                ("@id", run.Id), ("@json", JsonSerializer.Serialize(run, LucidJsonContext.Default.DeploymentRun))) > 0;
            if (updated && (run.SessionId is not null || run.Error is not null))
            {
                await WebhookOutbox.RecordAsync(connection, [WebhookTriggers.OfDeploymentRun(run, _clock.GetUtcNow())]);
            }

            return updated;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<DeploymentRun?> GetRunAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync("SELECT json FROM deployment_runs WHERE id = @id", ReadRun, cancellationToken, ("@id", id));
    }

    /// <inheritdoc />
    public async Task<Page<DeploymentRun>> ListRunsAsync(string? workspaceId, DeploymentRunQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var list = KeysetQuery.ByCreation("json", "deployment_runs", page)
            .WhereTime("created_at", query.CreatedAfter, query.CreatedAtOrAfter, query.CreatedBefore, query.CreatedAtOrBefore);
        if (workspaceId is not null)
        {
            list.Where("workspace_id = @workspace", ("@workspace", workspaceId));
        }

        if (query.Unfinished)
        {
            list.Where("json::jsonb ->> 'session_id' IS NULL AND json::jsonb ->> 'error' IS NULL");
        }

        if (query.DeploymentId is not null)
        {
            list.Where("deployment_id = @deployment", ("@deployment", query.DeploymentId));
        }

        if (query.HasError is { } hasError)
        {
            list.Where(hasError ? "json::jsonb ->> 'error' IS NOT NULL" : "json::jsonb ->> 'session_id' IS NOT NULL");
        }

        if (query.Trigger is { } trigger)
        {
            list.Where(trigger == DeploymentTrigger.Schedule ? "scheduled_at IS NOT NULL" : "scheduled_at IS NULL");
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await list.ReadAsync(connection, ReadRun, cancellationToken);
    }

    private static Deployment ReadDeployment(NpgsqlDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.Deployment);

    private static DeploymentRun ReadRun(NpgsqlDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.DeploymentRun);
}
