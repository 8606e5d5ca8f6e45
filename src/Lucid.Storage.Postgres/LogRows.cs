using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Lucid.Events;
using Lucid.Json;
using Lucid.Sessions;
using Lucid.Threads;
using Npgsql;
using static Lucid.Storage.Postgres.StoredValues;

namespace Lucid.Storage.Postgres;

/// <summary>
/// The reads and writes of every append, on the writer's connection inside its transaction: session and thread rows read
/// under a row lock (<c>FOR UPDATE</c>), so appenders in every process queue on the row, and events inserted in one statement.
/// </summary>
internal static class LogRows
{
    /// <summary>A session, locked until the transaction ends; null when absent.</summary>
    public static Task<Session?> LockSessionAsync(NpgsqlConnection connection, string id) =>
        ReadLockedAsync(connection, "SELECT json FROM sessions WHERE id = @id FOR UPDATE", id, LucidJsonContext.Default.Session);

    /// <summary>A thread, locked until the transaction ends; null when absent.</summary>
    public static Task<SessionThread?> LockThreadAsync(NpgsqlConnection connection, string id) =>
        ReadLockedAsync(connection, "SELECT json FROM threads WHERE id = @id FOR UPDATE", id, LucidJsonContext.Default.SessionThread);

    public static Task InsertSessionAsync(NpgsqlConnection connection, Session session) =>
        connection.ExecuteAsync("""
            INSERT INTO sessions (id, workspace_id, agent_id, agent_version, status, created_at, archived_at, last_sequence, json)
            VALUES (@id, @workspace, @agent, @version, @status, @created, @archived, @last, @json)
            """, CancellationToken.None,
            ("@id", session.Id), ("@workspace", session.WorkspaceId), ("@agent", session.AgentId), ("@version", session.AgentVersion),
            ("@status", Status(session.Status)), ("@created", Time(session.CreatedAt)), ("@archived", Time(session.ArchivedAt)),
            ("@last", session.LastSequence), ("@json", JsonSerializer.Serialize(session, LucidJsonContext.Default.Session)));

    public static Task WriteSessionAsync(NpgsqlConnection connection, Session session) =>
        connection.ExecuteAsync("UPDATE sessions SET status = @status, archived_at = @archived, last_sequence = @last, json = @json WHERE id = @id", CancellationToken.None,
            ("@id", session.Id), ("@status", Status(session.Status)), ("@archived", Time(session.ArchivedAt)), ("@last", session.LastSequence),
            ("@json", JsonSerializer.Serialize(session, LucidJsonContext.Default.Session)));

    public static Task WriteThreadAsync(NpgsqlConnection connection, SessionThread thread) =>
        connection.ExecuteAsync("UPDATE threads SET last_sequence = @last, json = @json WHERE id = @id", CancellationToken.None,
            ("@id", thread.Id), ("@last", thread.LastSequence), ("@json", JsonSerializer.Serialize(thread, LucidJsonContext.Default.SessionThread)));

    /// <summary>Inserts events into their log, in one statement: a thread's when <paramref name="toThread"/>, else its session's.</summary>
    public static Task InsertAsync(NpgsqlConnection connection, IReadOnlyList<LoggedEvent> logged, bool toThread)
    {
        if (logged.Count == 0)
        {
            return Task.CompletedTask;
        }

        var (table, key) = toThread ? ("thread_events", "thread_id") : ("events", "session_id");
        return connection.ExecuteAsync($"""
            INSERT INTO {table} ({key}, sequence, id, type, processed_at, json)
            SELECT @log, * FROM unnest(@sequences, @ids, @types, @times, @jsons)
            """, CancellationToken.None,
            ("@log", logged[0].SessionId), ("@sequences", logged.Select(e => e.Sequence).ToArray()), ("@ids", logged.Select(e => e.Event.Id).ToArray()),
            ("@types", logged.Select(e => e.Event.Type).ToArray()), ("@times", logged.Select(e => e.Event.ProcessedAt.ToUniversalTime()).ToArray()),
            ("@jsons", logged.Select(e => e.Json).ToArray()));
    }

    private static Task<T?> ReadLockedAsync<T>(NpgsqlConnection connection, string sql, string id, JsonTypeInfo<T> type)
        where T : class =>
        connection.QuerySingleAsync(sql, r => ReadJson(r, 0, type), CancellationToken.None, ("@id", id));
}
