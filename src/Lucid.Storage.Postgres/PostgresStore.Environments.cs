using System.Text.Json;
using Lucid.Environments;
using Lucid.Json;
using Lucid.Webhooks;
using Npgsql;
using static Lucid.Storage.Postgres.StoredValues;

namespace Lucid.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public Task CreateEnvironmentAsync(AgentEnvironment environment, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await connection.ExecuteAsync("INSERT INTO environments (id, workspace_id, created_at, archived_at, json) VALUES (@id, @workspace, @created, @archived, @json)",
                CancellationToken.None,
                ("@id", environment.Id), ("@workspace", environment.WorkspaceId), ("@created", Time(environment.CreatedAt)),
                ("@archived", Time(environment.ArchivedAt)), ("@json", JsonSerializer.Serialize(environment, LucidJsonContext.Default.AgentEnvironment)));
            await WebhookOutbox.RecordAsync(connection, [WebhookTriggers.OfNewEnvironment(environment)]);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateEnvironmentAsync(AgentEnvironment environment, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            if (await connection.QuerySingleAsync("SELECT json FROM environments WHERE id = @id FOR UPDATE", ReadEnvironment, CancellationToken.None, ("@id", environment.Id)) is not { } current)
            {
                return false;
            }

            await connection.ExecuteAsync("UPDATE environments SET archived_at = @archived, json = @json WHERE id = @id", CancellationToken.None,
                ("@id", environment.Id), ("@archived", Time(environment.ArchivedAt)),
                ("@json", JsonSerializer.Serialize(environment, LucidJsonContext.Default.AgentEnvironment)));
            await WebhookOutbox.RecordAsync(connection, WebhookTriggers.OfEnvironmentChange(current, environment));
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<EnvironmentDeletion> DeleteEnvironmentAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var none = CancellationToken.None;
            var inUse = await connection.ScalarAsync(
                """
                SELECT EXISTS (SELECT 1 FROM sessions WHERE archived_at IS NULL AND json::jsonb ->> 'environment_id' = @id)
                    OR EXISTS (SELECT 1 FROM deployments WHERE archived_at IS NULL AND json::jsonb ->> 'environment_id' = @id)
                """, none, ("@id", id));
            if (inUse is true)
            {
                return EnvironmentDeletion.InUse;
            }

            if (await connection.QuerySingleAsync("DELETE FROM environments WHERE id = @id RETURNING json", ReadEnvironment, none, ("@id", id)) is not { } environment)
            {
                return EnvironmentDeletion.NotFound;
            }

            await WebhookOutbox.RecordAsync(connection, [WebhookTriggers.OfDeletedEnvironment(environment, _clock.GetUtcNow())]);
            return EnvironmentDeletion.Deleted;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<AgentEnvironment?> GetEnvironmentAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync("SELECT json FROM environments WHERE id = @id", ReadEnvironment, cancellationToken, ("@id", id));
    }

    /// <inheritdoc />
    public async Task<Page<AgentEnvironment>> ListEnvironmentsAsync(string workspaceId, bool includeArchived, PageRequest page, CancellationToken cancellationToken)
    {
        var query = KeysetQuery.ByCreation("json", "environments", page).Where("workspace_id = @workspace", ("@workspace", workspaceId));
        if (!includeArchived)
        {
            query.Where("archived_at IS NULL");
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await query.ReadAsync(connection, ReadEnvironment, cancellationToken);
    }

    private static AgentEnvironment ReadEnvironment(NpgsqlDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.AgentEnvironment);
}
