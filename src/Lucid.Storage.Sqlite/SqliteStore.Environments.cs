using System.Text.Json;
using Lucid.Environments;
using Lucid.Json;
using Lucid.Webhooks;
using Microsoft.Data.Sqlite;
using static Lucid.Storage.Sqlite.StoredValues;

namespace Lucid.Storage.Sqlite;

public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public Task CreateEnvironmentAsync(AgentEnvironment environment, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await connection.ExecuteAsync("INSERT INTO environments (id, workspace_id, created_at, archived_at, json) VALUES ($id, $workspace, $created, $archived, $json)",
                CancellationToken.None,
                ("$id", environment.Id), ("$workspace", environment.WorkspaceId), ("$created", Time(environment.CreatedAt)),
                ("$archived", Time(environment.ArchivedAt)), ("$json", JsonSerializer.Serialize(environment, LucidJsonContext.Default.AgentEnvironment)));
            _writer.Outbox.Record(connection, [WebhookTriggers.OfNewEnvironment(environment)]);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateEnvironmentAsync(AgentEnvironment environment, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            if (await GetEnvironmentAsync(connection, environment.Id, CancellationToken.None) is not { } current)
            {
                return false;
            }

            await connection.ExecuteAsync("UPDATE environments SET archived_at = $archived, json = $json WHERE id = $id", CancellationToken.None,
                ("$id", environment.Id), ("$archived", Time(environment.ArchivedAt)),
                ("$json", JsonSerializer.Serialize(environment, LucidJsonContext.Default.AgentEnvironment)));
            _writer.Outbox.Record(connection, WebhookTriggers.OfEnvironmentChange(current, environment));
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<EnvironmentDeletion> DeleteEnvironmentAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var none = CancellationToken.None;
            var inUse = await connection.ScalarAsync(
                """
                SELECT EXISTS (SELECT 1 FROM sessions WHERE archived_at IS NULL AND json_extract(json, '$.environment_id') = $id)
                    OR EXISTS (SELECT 1 FROM deployments WHERE archived_at IS NULL AND json_extract(json, '$.environment_id') = $id)
                """, none, ("$id", id));
            if (Convert.ToInt64(inUse, System.Globalization.CultureInfo.InvariantCulture) != 0)
            {
                return EnvironmentDeletion.InUse;
            }

            if (await GetEnvironmentAsync(connection, id, none) is not { } environment)
            {
                return EnvironmentDeletion.NotFound;
            }

            await connection.ExecuteAsync("DELETE FROM environments WHERE id = $id", none, ("$id", id));
            _writer.Outbox.Record(connection, [WebhookTriggers.OfDeletedEnvironment(environment, _clock.GetUtcNow())]);
            return EnvironmentDeletion.Deleted;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<AgentEnvironment?> GetEnvironmentAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetEnvironmentAsync(connection, id, cancellationToken);
    }

    private static Task<AgentEnvironment?> GetEnvironmentAsync(SqliteConnection connection, string id, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync("SELECT json FROM environments WHERE id = $id", ReadEnvironment, cancellationToken, ("$id", id));

    /// <inheritdoc />
    public async Task<Page<AgentEnvironment>> ListEnvironmentsAsync(string workspaceId, bool includeArchived, PageRequest page, CancellationToken cancellationToken)
    {
        var query = KeysetQuery.ByCreation("json", "environments", page).Where("workspace_id = $workspace", ("$workspace", workspaceId));
        if (!includeArchived)
        {
            query.Where("archived_at IS NULL");
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await query.ReadAsync(connection, ReadEnvironment, cancellationToken);
    }

    private static AgentEnvironment ReadEnvironment(SqliteDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.AgentEnvironment);
}
