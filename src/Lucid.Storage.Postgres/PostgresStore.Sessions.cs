using Lucid.Events;
using Lucid.Json;
using Lucid.Sessions;
using Lucid.Webhooks;
using Npgsql;
using static Lucid.Storage.Postgres.StoredValues;

namespace Lucid.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public Task CreateSessionAsync(Session session, CancellationToken cancellationToken) =>
        CreateSessionAsync(session, [], cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<LoggedEvent>> CreateSessionAsync(Session session, IReadOnlyList<SessionEvent> firstEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(firstEvents);
        return WriteAsync<IReadOnlyList<LoggedEvent>>(async connection =>
        {
            // The row goes in as its first events leave it, so nothing is updated or read back after them.
            var (created, logged) = LogFold.OntoSession(session, firstEvents);
            await LogRows.InsertSessionAsync(connection, created);
            await LogRows.InsertAsync(connection, logged, toThread: false);
            await WebhookOutbox.RecordAsync(connection, [WebhookTriggers.OfNewSession(created), .. WebhookTriggers.OfSessionLog(session, logged)]);
            return logged;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Session?> GetSessionAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync("SELECT json FROM sessions WHERE id = @id", ReadSession, cancellationToken, ("@id", id));
    }

    /// <inheritdoc />
    public async Task<Page<Session>> ListSessionsAsync(string? workspaceId, SessionQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var list = KeysetQuery.ByCreation("json", "sessions", page, descending: !query.Ascending)
            .WhereIn("status", query.Statuses?.Select(Status))
            .WhereTime("created_at", query.CreatedAfter, query.CreatedAtOrAfter, query.CreatedBefore, query.CreatedAtOrBefore);
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
            list.Where("agent_id = @agent", ("@agent", query.AgentId));
            if (query.AgentVersion is { } version)
            {
                list.Where("agent_version = @version", ("@version", version));
            }
        }

        if (query.DeploymentId is { } deployment)
        {
            list.Where("json::jsonb ->> 'deployment_id' = @deployment", ("@deployment", deployment));
        }

        if (query.MemoryStoreId is { } memoryStore)
        {
            list.Where("jsonb_path_exists(json::jsonb, '$.resources[*] ? (@.memory_store_id == $store)', jsonb_build_object('store', @memory_store::text))",
                ("@memory_store", memoryStore));
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await list.ReadAsync(connection, ReadSession, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> UpdateSessionAsync(Session session, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            if (await LogRows.LockSessionAsync(connection, session.Id) is not { } current)
            {
                return false;
            }

            var updated = current with
            {
                Title = session.Title,
                Metadata = session.Metadata,
                Budget = session.Budget,
                Files = session.Files,
                Repositories = session.Repositories,
                ArchivedAt = session.ArchivedAt,
                UpdatedAt = session.UpdatedAt,
            };
            await LogRows.WriteSessionAsync(connection, updated);
            await WebhookOutbox.RecordAsync(connection, WebhookTriggers.OfSessionChange(current, updated));
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteSessionAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var none = CancellationToken.None;
            if (await LogRows.LockSessionAsync(connection, id) is not { } session)
            {
                return false;
            }

            await WebhookOutbox.RecordAsync(connection, [WebhookTriggers.OfDeletedSession(session, _clock.GetUtcNow())]);
            await connection.ExecuteAsync("DELETE FROM thread_events WHERE thread_id IN (SELECT id FROM threads WHERE session_id = @id)", none, ("@id", id));
            await connection.ExecuteAsync("DELETE FROM threads WHERE session_id = @id", none, ("@id", id));
            await connection.ExecuteAsync("DELETE FROM events WHERE session_id = @id", none, ("@id", id));
            return await connection.ExecuteAsync("DELETE FROM sessions WHERE id = @id", none, ("@id", id)) > 0;
        }, cancellationToken);

    private static Session ReadSession(NpgsqlDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.Session);
}
