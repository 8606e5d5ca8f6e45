using System.Text.Json;
using Lucid.Agents;
using Lucid.Json;
using Lucid.Webhooks;
using Npgsql;
using static Lucid.Storage.Postgres.StoredValues;

namespace Lucid.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public Task CreateAgentAsync(Agent agent, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await InsertAgentAsync(connection, agent, "");
            await WebhookOutbox.RecordAsync(connection, [WebhookTriggers.OfNewAgent(agent)]);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> AddAgentVersionAsync(Agent agent, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var latest = await connection.ScalarAsync("SELECT MAX(version) FROM agents WHERE id = @id", CancellationToken.None, ("@id", agent.Id));
            if (latest is not int version || version + 1 != agent.Version)
            {
                return false;
            }

            // Another process may add the same version between the read and the insert: then this one is not added.
            if (await InsertAgentAsync(connection, agent, "ON CONFLICT DO NOTHING") == 0)
            {
                return false;
            }

            await WebhookOutbox.RecordAsync(connection, [WebhookTriggers.OfAgentVersion(agent)]);
            return true;
        }, cancellationToken);

    private static Task<int> InsertAgentAsync(NpgsqlConnection connection, Agent agent, string onConflict) =>
        connection.ExecuteAsync("INSERT INTO agents (id, version, workspace_id, created_at, archived_at, json) VALUES (@id, @version, @workspace, @created, @archived, @json) " + onConflict,
            CancellationToken.None,
            ("@id", agent.Id), ("@version", agent.Version), ("@workspace", agent.WorkspaceId), ("@created", Time(agent.CreatedAt)),
            ("@archived", Time(agent.ArchivedAt)), ("@json", JsonSerializer.Serialize(agent, LucidJsonContext.Default.Agent)));

    /// <inheritdoc />
    public async Task<Agent?> GetAgentAsync(string id, int? version, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var sql = version is null
            ? "SELECT json, archived_at FROM agents WHERE id = @id ORDER BY version DESC LIMIT 1"
            : "SELECT json, archived_at FROM agents WHERE id = @id AND version = @version";
        return await connection.QuerySingleAsync(sql, ReadAgent, cancellationToken, ("@id", id), ("@version", version));
    }

    /// <inheritdoc />
    public async Task<Page<Agent>> ListAgentsAsync(string workspaceId, AgentQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var list = KeysetQuery.ByCreation("a.json, a.archived_at", "agents a", page, alias: "a.")
            .Where("a.workspace_id = @workspace", ("@workspace", workspaceId))
            .Where("a.version = (SELECT MAX(version) FROM agents WHERE id = a.id)")
            .WhereTime("a.created_at", null, query.CreatedAtOrAfter, null, query.CreatedAtOrBefore);
        if (!query.IncludeArchived)
        {
            list.Where("a.archived_at IS NULL");
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await list.ReadAsync(connection, ReadAgent, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Page<Agent>> ListAgentVersionsAsync(string id, PageRequest page, CancellationToken cancellationToken)
    {
        var query = KeysetQuery.ByNumber("json, archived_at", "agents", "version", page, descending: true).Where("id = @id", ("@id", id));
        await using var connection = await OpenAsync(cancellationToken);
        return await query.ReadAsync(connection, ReadAgent, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ArchiveAgentAsync(string id, DateTimeOffset archivedAt, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var none = CancellationToken.None;
            if (await connection.QuerySingleAsync("SELECT json, archived_at FROM agents WHERE id = @id ORDER BY version DESC LIMIT 1 FOR UPDATE", ReadAgent, none, ("@id", id)) is not { } latest)
            {
                return false;
            }

            await connection.ExecuteAsync("UPDATE agents SET archived_at = @archived WHERE id = @id", none, ("@id", id), ("@archived", Time(archivedAt)));
            await WebhookOutbox.RecordAsync(connection, WebhookTriggers.OfAgentArchive(latest, archivedAt));
            return true;
        }, cancellationToken);

    // The archive time lives in its column (it applies to every version); the JSON holds the rest.
    private static Agent ReadAgent(NpgsqlDataReader reader) =>
        ReadJson(reader, 0, LucidJsonContext.Default.Agent) with { ArchivedAt = ReadTime(reader, 1) };
}
