using Lucid.Events;
using Lucid.Json;
using Lucid.Sessions;
using Lucid.Webhooks;
using Microsoft.Data.Sqlite;
using static Lucid.Storage.Sqlite.StoredValues;

namespace Lucid.Storage.Sqlite;

public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public Task CreateSessionAsync(Session session, CancellationToken cancellationToken) =>
        CreateSessionAsync(session, [], cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<LoggedEvent>> CreateSessionAsync(Session session, IReadOnlyList<SessionEvent> firstEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(firstEvents);
        return WriteAsync(connection =>
        {
            // The row goes in as its first events leave it, so nothing is updated or read back after them.
            var log = Log(connection);
            var (created, logged) = LogFold.OntoSession(session, firstEvents);
            log.InsertSession(created);
            InsertAll(log, logged);
            if (_writer.Outbox.Watches(connection, created.WorkspaceId))
            {
                _writer.Outbox.Record(connection, [WebhookTriggers.OfNewSession(created), .. WebhookTriggers.OfSessionLog(session, logged)]);
            }

            return Task.FromResult<IReadOnlyList<LoggedEvent>>(logged);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Session?> GetSessionAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync("SELECT json FROM sessions WHERE id = $id", ReadSession, cancellationToken, ("$id", id));
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
            list.Where("workspace_id = $workspace", ("$workspace", workspaceId));
        }

        if (!query.IncludeArchived)
        {
            list.Where("archived_at IS NULL");
        }

        if (query.AgentId is not null)
        {
            list.Where("agent_id = $agent", ("$agent", query.AgentId));
            if (query.AgentVersion is { } version)
            {
                list.Where("agent_version = $version", ("$version", version));
            }
        }

        if (query.DeploymentId is { } deployment)
        {
            list.Where("json_extract(sessions.json, '$.deployment_id') = $deployment", ("$deployment", deployment));
        }

        if (query.MemoryStoreId is { } memoryStore)
        {
            list.Where("EXISTS (SELECT 1 FROM json_each(sessions.json, '$.resources') WHERE json_extract(value, '$.memory_store_id') = $memory_store)",
                ("$memory_store", memoryStore));
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await list.ReadAsync(connection, ReadSession, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> UpdateSessionAsync(Session session, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            var log = Log(connection);
            if (log.ReadSession(session.Id) is not { } current)
            {
                return Task.FromResult(false);
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
            log.WriteSession(updated);
            _writer.Outbox.Record(connection, WebhookTriggers.OfSessionChange(current, updated));
            return Task.FromResult(true);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteSessionAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var none = CancellationToken.None;
            if (Log(connection).ReadSession(id) is { } session)
            {
                _writer.Outbox.Record(connection, [WebhookTriggers.OfDeletedSession(session, _clock.GetUtcNow())]);
            }

            _writer.Rows.Clear(); // the session's row and its threads' rows go
            await connection.ExecuteAsync("DELETE FROM thread_events WHERE thread_id IN (SELECT id FROM threads WHERE session_id = $id)", none, ("$id", id));
            await connection.ExecuteAsync("DELETE FROM threads WHERE session_id = $id", none, ("$id", id));
            await connection.ExecuteAsync("DELETE FROM events WHERE session_id = $id", none, ("$id", id));
            return await connection.ExecuteAsync("DELETE FROM sessions WHERE id = $id", none, ("$id", id)) > 0;
        }, cancellationToken);

    private static Session ReadSession(SqliteDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.Session);
}
