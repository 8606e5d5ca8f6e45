using System.Globalization;
using System.Text;
using System.Text.Json;
using Lucid.Agents;
using Lucid.Auth;
using Lucid.Environments;
using Lucid.Events;
using Lucid.Json;
using Lucid.Sessions;
using Lucid.Threads;
using Microsoft.Data.Sqlite;

namespace Lucid.Storage.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode. Writes go through one in-process writer at a time (SQLite
/// has one writer anyway), reads run concurrently. <c>synchronous=FULL</c>: a committed transaction survives a killed
/// process and a power loss.
/// </summary>
public sealed partial class SqliteStore : ILucidStore
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private readonly string _connectionString;
    private readonly SqliteStoreOptions _options;
    private readonly SemaphoreSlim _writer = new(1, 1);

    private SqliteStore(string connectionString, SqliteStoreOptions options)
    {
        _connectionString = connectionString;
        _options = options;
    }

    /// <summary>The database file.</summary>
    public required string Path { get; init; }

    /// <summary>Opens (creating if needed) the database at <paramref name="databasePath"/> and applies pending migrations.</summary>
    public static Task<SqliteStore> OpenAsync(string databasePath, CancellationToken cancellationToken) =>
        OpenAsync(databasePath, new SqliteStoreOptions(), cancellationToken);

    /// <summary>Opens (creating if needed) the database at <paramref name="databasePath"/> with options, and applies pending migrations.</summary>
    public static async Task<SqliteStore> OpenAsync(string databasePath, SqliteStoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var full = System.IO.Path.GetFullPath(databasePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full) ?? ".");
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString();
        var store = new SqliteStore(connectionString, options) { Path = full };
        await store.MigrateAsync(cancellationToken);
        return store;
    }

    /// <summary>How many migrations the database has applied.</summary>
    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return Convert.ToInt32(await Scalar(connection, "PRAGMA user_version", cancellationToken), CultureInfo.InvariantCulture);
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await Execute(connection, "PRAGMA journal_mode=WAL", cancellationToken);
        var applied = Convert.ToInt32(await Scalar(connection, "PRAGMA user_version", cancellationToken), CultureInfo.InvariantCulture);
        for (var i = applied; i < Migrations.All.Count; i++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await Execute(connection, Migrations.All[i], cancellationToken, transaction);
            await Execute(connection, $"PRAGMA user_version = {i + 1}", cancellationToken, transaction);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    // ---------- agents ----------

    /// <inheritdoc />
    public Task CreateAgentAsync(Agent agent, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) => await InsertAgentAsync(connection, transaction, agent, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<bool> AddAgentVersionAsync(Agent agent, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var latest = await Scalar(connection, "SELECT MAX(version) FROM agents WHERE id = $id", cancellationToken, transaction, ("$id", agent.Id));
            if (latest is not long version || version + 1 != agent.Version)
            {
                return false;
            }

            await InsertAgentAsync(connection, transaction, agent, cancellationToken);
            return true;
        }, cancellationToken);

    private static Task<int> InsertAgentAsync(SqliteConnection connection, SqliteTransaction transaction, Agent agent, CancellationToken cancellationToken) =>
        Execute(connection, "INSERT INTO agents (id, version, workspace_id, created_at, archived_at, json) VALUES ($id, $version, $workspace, $created, $archived, $json)",
            cancellationToken, transaction,
            ("$id", agent.Id), ("$version", agent.Version), ("$workspace", agent.WorkspaceId), ("$created", Time(agent.CreatedAt)),
            ("$archived", Time(agent.ArchivedAt)), ("$json", JsonSerializer.Serialize(agent, LucidJsonContext.Default.Agent)));

    /// <inheritdoc />
    public async Task<Agent?> GetAgentAsync(string id, int? version, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var sql = version is null
            ? "SELECT json, archived_at FROM agents WHERE id = $id ORDER BY version DESC LIMIT 1"
            : "SELECT json, archived_at FROM agents WHERE id = $id AND version = $version";
        var rows = await Query(connection, sql, ReadAgent, cancellationToken, ("$id", id), ("$version", version));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<Page<Agent>> ListAgentsAsync(string workspaceId, bool includeArchived, PageRequest page, CancellationToken cancellationToken)
    {
        var (afterCreated, afterId) = Keyset.Decode(page.PageCursor);
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await Query(connection, $"""
            SELECT a.json, a.archived_at, a.created_at, a.id FROM agents a
            WHERE a.workspace_id = $workspace AND a.version = (SELECT MAX(version) FROM agents WHERE id = a.id)
              {(includeArchived ? "" : "AND a.archived_at IS NULL")}
              {(afterCreated is null ? "" : "AND (a.created_at < $created OR (a.created_at = $created AND a.id < $after))")}
            ORDER BY a.created_at DESC, a.id DESC LIMIT $limit
            """, ReadAgent, cancellationToken,
            ("$workspace", workspaceId), ("$created", afterCreated), ("$after", afterId), ("$limit", Limit(page) + 1));
        return Keyset.Page(rows, Limit(page), a => Keyset.Encode(Time(a.CreatedAt), a.Id));
    }

    /// <inheritdoc />
    public async Task<Page<Agent>> ListAgentVersionsAsync(string id, PageRequest page, CancellationToken cancellationToken)
    {
        var before = page.PageCursor is null ? int.MaxValue : Keyset.DecodeNumber(page.PageCursor);
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await Query(connection,
            "SELECT json, archived_at FROM agents WHERE id = $id AND version < $before ORDER BY version DESC LIMIT $limit",
            ReadAgent, cancellationToken, ("$id", id), ("$before", before), ("$limit", Limit(page) + 1));
        return Keyset.Page(rows, Limit(page), a => Keyset.EncodeNumber(a.Version));
    }

    /// <inheritdoc />
    public Task<bool> ArchiveAgentAsync(string id, DateTimeOffset archivedAt, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
            await Execute(connection, "UPDATE agents SET archived_at = $archived WHERE id = $id", cancellationToken, transaction,
                ("$id", id), ("$archived", Time(archivedAt))) > 0,
            cancellationToken);

    // The archive time lives in its column (it applies to every version); the JSON holds the rest.
    private static Agent ReadAgent(SqliteDataReader reader) =>
        Deserialize(reader.GetString(0), LucidJsonContext.Default.Agent) with { ArchivedAt = ParseTime(reader, 1) };

    // ---------- environments ----------

    /// <inheritdoc />
    public Task CreateEnvironmentAsync(AgentEnvironment environment, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
            await Execute(connection, "INSERT INTO environments (id, workspace_id, created_at, archived_at, json) VALUES ($id, $workspace, $created, $archived, $json)",
                cancellationToken, transaction,
                ("$id", environment.Id), ("$workspace", environment.WorkspaceId), ("$created", Time(environment.CreatedAt)),
                ("$archived", Time(environment.ArchivedAt)), ("$json", JsonSerializer.Serialize(environment, LucidJsonContext.Default.AgentEnvironment))),
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateEnvironmentAsync(AgentEnvironment environment, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
            await Execute(connection, "UPDATE environments SET archived_at = $archived, json = $json WHERE id = $id", cancellationToken, transaction,
                ("$id", environment.Id), ("$archived", Time(environment.ArchivedAt)), ("$json", JsonSerializer.Serialize(environment, LucidJsonContext.Default.AgentEnvironment))) > 0,
            cancellationToken);

    /// <inheritdoc />
    public async Task<AgentEnvironment?> GetEnvironmentAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await Query(connection, "SELECT json FROM environments WHERE id = $id", r => Deserialize(r.GetString(0), LucidJsonContext.Default.AgentEnvironment), cancellationToken, ("$id", id));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<Page<AgentEnvironment>> ListEnvironmentsAsync(string workspaceId, bool includeArchived, PageRequest page, CancellationToken cancellationToken)
    {
        var (afterCreated, afterId) = Keyset.Decode(page.PageCursor);
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await Query(connection, $"""
            SELECT json FROM environments WHERE workspace_id = $workspace
              {(includeArchived ? "" : "AND archived_at IS NULL")}
              {(afterCreated is null ? "" : "AND (created_at < $created OR (created_at = $created AND id < $after))")}
            ORDER BY created_at DESC, id DESC LIMIT $limit
            """, r => Deserialize(r.GetString(0), LucidJsonContext.Default.AgentEnvironment), cancellationToken,
            ("$workspace", workspaceId), ("$created", afterCreated), ("$after", afterId), ("$limit", Limit(page) + 1));
        return Keyset.Page(rows, Limit(page), e => Keyset.Encode(Time(e.CreatedAt), e.Id));
    }

    // ---------- sessions ----------

    /// <inheritdoc />
    public Task CreateSessionAsync(Session session, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
            await Execute(connection, """
                INSERT INTO sessions (id, workspace_id, agent_id, agent_version, status, created_at, archived_at, last_sequence, json)
                VALUES ($id, $workspace, $agent, $version, $status, $created, $archived, $last, $json)
                """, cancellationToken, transaction,
                ("$id", session.Id), ("$workspace", session.WorkspaceId), ("$agent", session.AgentId), ("$version", session.AgentVersion),
                ("$status", Status(session.Status)), ("$created", Time(session.CreatedAt)), ("$archived", Time(session.ArchivedAt)),
                ("$last", session.LastSequence), ("$json", JsonSerializer.Serialize(session, LucidJsonContext.Default.Session))),
            cancellationToken);

    /// <inheritdoc />
    public async Task<Session?> GetSessionAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetSessionAsync(connection, null, id, cancellationToken);
    }

    private static async Task<Session?> GetSessionAsync(SqliteConnection connection, SqliteTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        var rows = await Query(connection, transaction, "SELECT json FROM sessions WHERE id = $id", r => Deserialize(r.GetString(0), LucidJsonContext.Default.Session), cancellationToken, ("$id", id));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<Page<Session>> ListSessionsAsync(string? workspaceId, SessionQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (afterCreated, afterId) = Keyset.Decode(page.PageCursor);
        var where = new StringBuilder(workspaceId is null ? "1 = 1" : "workspace_id = $workspace");
        var parameters = new List<(string, object?)> { ("$workspace", workspaceId), ("$limit", Limit(page) + 1) };
        if (!query.IncludeArchived)
        {
            where.Append(" AND archived_at IS NULL");
        }

        if (query.AgentId is not null)
        {
            where.Append(" AND agent_id = $agent");
            parameters.Add(("$agent", query.AgentId));
            if (query.AgentVersion is { } version)
            {
                where.Append(" AND agent_version = $version");
                parameters.Add(("$version", version));
            }
        }

        if (query.Statuses is { Count: > 0 } statuses)
        {
            where.Append(" AND status IN (").AppendJoin(", ", statuses.Select((_, i) => $"$status{i}")).Append(')');
            parameters.AddRange(statuses.Select((s, i) => ($"$status{i}", (object?)Status(s))));
        }

        if (query.MemoryStoreId is { } memoryStore)
        {
            where.Append(" AND EXISTS (SELECT 1 FROM json_each(sessions.json, '$.resources') WHERE json_extract(value, '$.memory_store_id') = $memory_store)");
            parameters.Add(("$memory_store", memoryStore));
        }

        TimeBounds(where, parameters, "created_at", query.CreatedAfter, query.CreatedAtOrAfter, query.CreatedBefore, query.CreatedAtOrBefore);
        var (compare, direction) = query.Ascending ? (">", "ASC") : ("<", "DESC");
        if (afterCreated is not null)
        {
            where.Append(CultureInfo.InvariantCulture, $" AND (created_at {compare} $created OR (created_at = $created AND id {compare} $after))");
            parameters.Add(("$created", afterCreated));
            parameters.Add(("$after", afterId));
        }

        await using var connection = await OpenAsync(cancellationToken);
        var rows = await Query(connection, $"SELECT json FROM sessions WHERE {where} ORDER BY created_at {direction}, id {direction} LIMIT $limit",
            r => Deserialize(r.GetString(0), LucidJsonContext.Default.Session), cancellationToken, [.. parameters]);
        return Keyset.Page(rows, Limit(page), s => Keyset.Encode(Time(s.CreatedAt), s.Id));
    }

    /// <inheritdoc />
    public Task<bool> UpdateSessionAsync(Session session, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var current = await GetSessionAsync(connection, transaction, session.Id, cancellationToken);
            if (current is null)
            {
                return false;
            }

            await WriteSessionAsync(connection, transaction, current with
            {
                Title = session.Title,
                Metadata = session.Metadata,
                ArchivedAt = session.ArchivedAt,
                UpdatedAt = session.UpdatedAt,
            }, cancellationToken);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteSessionAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await Execute(connection, "DELETE FROM thread_events WHERE thread_id IN (SELECT id FROM threads WHERE session_id = $id)", cancellationToken, transaction, ("$id", id));
            await Execute(connection, "DELETE FROM threads WHERE session_id = $id", cancellationToken, transaction, ("$id", id));
            await Execute(connection, "DELETE FROM events WHERE session_id = $id", cancellationToken, transaction, ("$id", id));
            return await Execute(connection, "DELETE FROM sessions WHERE id = $id", cancellationToken, transaction, ("$id", id)) > 0;
        }, cancellationToken);

    private static Task<int> WriteSessionAsync(SqliteConnection connection, SqliteTransaction transaction, Session session, CancellationToken cancellationToken) =>
        Execute(connection, "UPDATE sessions SET status = $status, archived_at = $archived, last_sequence = $last, json = $json WHERE id = $id",
            cancellationToken, transaction,
            ("$id", session.Id), ("$status", Status(session.Status)), ("$archived", Time(session.ArchivedAt)), ("$last", session.LastSequence),
            ("$json", JsonSerializer.Serialize(session, LucidJsonContext.Default.Session)));

    // ---------- threads ----------

    /// <inheritdoc />
    public Task CreateThreadAsync(SessionThread thread, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        return WriteAsync(async (connection, transaction) =>
        {
            if (await GetSessionAsync(connection, transaction, thread.SessionId, cancellationToken) is null)
            {
                throw new KeyNotFoundException($"Session '{thread.SessionId}' does not exist.");
            }

            await Execute(connection, "INSERT INTO threads (id, session_id, created_at, last_sequence, json) VALUES ($id, $session, $created, $last, $json)",
                cancellationToken, transaction,
                ("$id", thread.Id), ("$session", thread.SessionId), ("$created", Time(thread.CreatedAt)), ("$last", thread.LastSequence),
                ("$json", JsonSerializer.Serialize(thread, LucidJsonContext.Default.SessionThread)));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<SessionThread?> GetThreadAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetThreadAsync(connection, null, id, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SessionThread>> ListThreadsAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await Query(connection, "SELECT json FROM threads WHERE session_id = $session ORDER BY created_at, id",
            r => Deserialize(r.GetString(0), LucidJsonContext.Default.SessionThread), cancellationToken, ("$session", sessionId));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SessionThread>> ListRunningThreadsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await Query(connection, "SELECT json FROM threads WHERE json_extract(json, '$.status') IN ('running', 'rescheduling') ORDER BY created_at, id",
            r => Deserialize(r.GetString(0), LucidJsonContext.Default.SessionThread), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ArchiveThreadAsync(string id, DateTimeOffset archivedAt, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var current = await GetThreadAsync(connection, transaction, id, cancellationToken);
            if (current is null)
            {
                return false;
            }

            await WriteThreadAsync(connection, transaction, current with { ArchivedAt = archivedAt, UpdatedAt = archivedAt }, cancellationToken);
            return true;
        }, cancellationToken);

    private static async Task<SessionThread?> GetThreadAsync(SqliteConnection connection, SqliteTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        var rows = await Query(connection, transaction, "SELECT json FROM threads WHERE id = $id",
            r => Deserialize(r.GetString(0), LucidJsonContext.Default.SessionThread), cancellationToken, ("$id", id));
        return rows.Count == 0 ? null : rows[0];
    }

    private static Task<int> WriteThreadAsync(SqliteConnection connection, SqliteTransaction transaction, SessionThread thread, CancellationToken cancellationToken) =>
        Execute(connection, "UPDATE threads SET last_sequence = $last, json = $json WHERE id = $id",
            cancellationToken, transaction,
            ("$id", thread.Id), ("$last", thread.LastSequence), ("$json", JsonSerializer.Serialize(thread, LucidJsonContext.Default.SessionThread)));

    // ---------- event log ----------

    /// <inheritdoc />
    public Task<IReadOnlyList<LoggedEvent>> AppendAsync(string sessionId, IReadOnlyList<SessionEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (SessionThread.IsThreadId(sessionId))
        {
            return AppendToThreadAsync(sessionId, events, cancellationToken);
        }

        return WriteAsync<IReadOnlyList<LoggedEvent>>(async (connection, transaction) =>
        {
            var session = await GetSessionAsync(connection, transaction, sessionId, cancellationToken)
                ?? throw new KeyNotFoundException($"Session '{sessionId}' does not exist.");
            var logged = new List<LoggedEvent>(events.Count);
            await using var insert = InsertEventCommand(connection, transaction, "events", "session_id");
            foreach (var e in events)
            {
                var entry = new LoggedEvent(sessionId, session.LastSequence + 1, e);
                await InsertEventAsync(insert, entry, cancellationToken);
                session = SessionProjection.Apply(session, entry);
                logged.Add(entry);
            }

            await WriteSessionAsync(connection, transaction, session, cancellationToken);
            return logged;
        }, cancellationToken);
    }

    private Task<IReadOnlyList<LoggedEvent>> AppendToThreadAsync(string threadId, IReadOnlyList<SessionEvent> events, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<LoggedEvent>>(async (connection, transaction) =>
        {
            var thread = await GetThreadAsync(connection, transaction, threadId, cancellationToken)
                ?? throw new KeyNotFoundException($"Thread '{threadId}' does not exist.");
            var session = await GetSessionAsync(connection, transaction, thread.SessionId, cancellationToken)
                ?? throw new KeyNotFoundException($"Session '{thread.SessionId}' does not exist.");
            var logged = new List<LoggedEvent>(events.Count);
            await using var insert = InsertEventCommand(connection, transaction, "thread_events", "thread_id");
            foreach (var e in events)
            {
                var entry = new LoggedEvent(threadId, thread.LastSequence + 1, e);
                await InsertEventAsync(insert, entry, cancellationToken);
                thread = ThreadProjection.Apply(thread, entry);
                session = SessionProjection.AddThreadUsage(session, ThreadProjection.UsageOf(entry));
                logged.Add(entry);
            }

            await WriteThreadAsync(connection, transaction, thread, cancellationToken);
            await WriteSessionAsync(connection, transaction, session, cancellationToken);
            return logged;
        }, cancellationToken);

    private static SqliteCommand InsertEventCommand(SqliteConnection connection, SqliteTransaction transaction, string table, string keyColumn)
    {
        var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO {table} ({keyColumn}, sequence, id, type, processed_at, json) VALUES ($key, $sequence, $id, $type, $at, $json)";
        insert.Parameters.Add("$key", SqliteType.Text);
        insert.Parameters.Add("$sequence", SqliteType.Integer);
        insert.Parameters.Add("$id", SqliteType.Text);
        insert.Parameters.Add("$type", SqliteType.Text);
        insert.Parameters.Add("$at", SqliteType.Text);
        insert.Parameters.Add("$json", SqliteType.Text);
        return insert;
    }

    private static async Task InsertEventAsync(SqliteCommand insert, LoggedEvent entry, CancellationToken cancellationToken)
    {
        insert.Parameters["$key"].Value = entry.SessionId;
        insert.Parameters["$sequence"].Value = entry.Sequence;
        insert.Parameters["$id"].Value = entry.Event.Id;
        insert.Parameters["$type"].Value = entry.Event.Type;
        insert.Parameters["$at"].Value = Time(entry.Event.ProcessedAt);
        insert.Parameters["$json"].Value = JsonSerializer.Serialize(entry.Event, LucidJsonContext.Default.SessionEvent);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    // The table and key column of a log: a session's own log, or a thread's.
    private static (string Table, string Key) LogOf(string logKey) =>
        SessionThread.IsThreadId(logKey) ? ("thread_events", "thread_id") : ("events", "session_id");

    /// <inheritdoc />
    public async Task<IReadOnlyList<LoggedEvent>> ReadAsync(string sessionId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        var (table, key) = LogOf(sessionId);
        await using var connection = await OpenAsync(cancellationToken);
        return await Query(connection,
            $"SELECT sequence, json FROM {table} WHERE {key} = $session AND sequence > $after ORDER BY sequence LIMIT $limit",
            r => ReadEvent(sessionId, r), cancellationToken, ("$session", sessionId), ("$after", afterSequence), ("$limit", Math.Max(0, limit)));
    }

    /// <inheritdoc />
    public async Task<Page<LoggedEvent>> ListEventsAsync(string sessionId, EventQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (table, key) = LogOf(sessionId);
        var where = new StringBuilder($"{key} = $session");
        var parameters = new List<(string, object?)> { ("$session", sessionId), ("$limit", Limit(page) + 1) };
        var (compare, direction) = query.Descending ? ("<", "DESC") : (">", "ASC");
        if (page.PageCursor is not null)
        {
            where.Append(CultureInfo.InvariantCulture, $" AND sequence {compare} $cursor");
            parameters.Add(("$cursor", Keyset.DecodeNumber(page.PageCursor)));
        }

        if (query.Types is { Count: > 0 } types)
        {
            where.Append(" AND type IN (").AppendJoin(", ", types.Select((_, i) => $"$type{i}")).Append(')');
            parameters.AddRange(types.Select((t, i) => ($"$type{i}", (object?)t)));
        }

        TimeBounds(where, parameters, "processed_at", query.ProcessedAfter, query.ProcessedAtOrAfter, query.ProcessedBefore, query.ProcessedAtOrBefore);
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await Query(connection, $"SELECT sequence, json FROM {table} WHERE {where} ORDER BY sequence {direction} LIMIT $limit",
            r => ReadEvent(sessionId, r), cancellationToken, [.. parameters]);
        return Keyset.Page(rows, Limit(page), e => Keyset.EncodeNumber(e.Sequence));
    }

    // Adds "column > $gt AND column >= $gte …" for each bound that is set.
    private static void TimeBounds(
        StringBuilder where, List<(string, object?)> parameters, string column, DateTimeOffset? after, DateTimeOffset? atOrAfter, DateTimeOffset? before, DateTimeOffset? atOrBefore)
    {
        foreach (var (time, op, name) in new[] { (after, ">", "$gt"), (atOrAfter, ">=", "$gte"), (before, "<", "$lt"), (atOrBefore, "<=", "$lte") })
        {
            if (time is { } t)
            {
                where.Append(CultureInfo.InvariantCulture, $" AND {column} {op} {name}");
                parameters.Add((name, Time(t)));
            }
        }
    }

    private static LoggedEvent ReadEvent(string sessionId, SqliteDataReader reader) =>
        new(sessionId, reader.GetInt64(0), Deserialize(reader.GetString(1), LucidJsonContext.Default.SessionEvent));

    // ---------- API keys ----------

    /// <inheritdoc />
    public Task CreateApiKeyAsync(ApiKey key, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
            await Execute(connection, "INSERT INTO api_keys (id, workspace_id, name, hash, prefix, created_at) VALUES ($id, $workspace, $name, $hash, $prefix, $created)",
                cancellationToken, transaction,
                ("$id", key.Id), ("$workspace", key.WorkspaceId), ("$name", key.Name), ("$hash", key.Hash), ("$prefix", key.Prefix), ("$created", Time(key.CreatedAt))),
            cancellationToken);

    /// <inheritdoc />
    public async Task<ApiKey?> FindApiKeyAsync(string hash, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await Query(connection, "SELECT id, workspace_id, name, hash, prefix, created_at FROM api_keys WHERE hash = $hash", ReadKey, cancellationToken, ("$hash", hash));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await Query(connection, "SELECT id, workspace_id, name, hash, prefix, created_at FROM api_keys ORDER BY created_at, id", ReadKey, cancellationToken);
    }

    private static ApiKey ReadKey(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        WorkspaceId = r.GetString(1),
        Name = r.IsDBNull(2) ? null : r.GetString(2),
        Hash = r.GetString(3),
        Prefix = r.GetString(4),
        CreatedAt = ParseTime(r, 5) ?? default,
    };

    // ---------- plumbing ----------

    /// <summary>Releases pooled connections so the database file can be moved or deleted.</summary>
    public ValueTask DisposeAsync()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _writer.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // Per connection: pooled connections keep these, so this is cheap after the first use.
        await Execute(connection, "PRAGMA synchronous=FULL", cancellationToken);
        if (_options.MaxPageCount is { } pages)
        {
            await Execute(connection, $"PRAGMA max_page_count = {pages}", cancellationToken);
        }

        return connection;
    }

    // One write transaction at a time in this process; BEGIN IMMEDIATE takes SQLite's write lock up front, so a second
    // process writing the same file waits (busy timeout) instead of failing a read-to-write upgrade.
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(CancellationToken.None);
            return result;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteBusy or SqliteLocked)
        {
            throw new StoreUnavailableException($"The database {Path} is locked by another writer; nothing was written. Retry shortly.", ex);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteFull or SqliteIoError)
        {
            throw new StoreUnavailableException($"The database {Path} cannot grow (the disk or its size limit is full); nothing was written. Free space and retry.", ex);
        }
        finally
        {
            _writer.Release();
        }
    }

    private Task<bool> WriteAsync(Func<SqliteConnection, SqliteTransaction, Task> work, CancellationToken cancellationToken) =>
        WriteAsync<bool>(async (connection, transaction) =>
        {
            await work(connection, transaction);
            return true;
        }, cancellationToken);

    private static async Task<int> Execute(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, transaction, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> Scalar(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, transaction, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    private static Task<List<T>> Query<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        Query(connection, null, sql, read, cancellationToken, parameters);

    private static async Task<List<T>> Query<T>(SqliteConnection connection, SqliteTransaction? transaction, string sql, Func<SqliteDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, transaction, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            if (sql.Contains(name, StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
        }

        return command;
    }

    private static T Deserialize<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(json, type) ?? throw new InvalidDataException($"A stored {typeof(T).Name} is null.");

    private static int Limit(PageRequest page) => Math.Clamp(page.Limit, 1, 1000);

    private static string Status(SessionStatus status) => status.ToString().ToLowerInvariant();

    // Fixed-width UTC text: sorts in time order, and reads back exactly.
    internal static string? Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
