using Lucid.Events;
using Lucid.Json;
using Lucid.Threads;
using Lucid.Webhooks;
using Npgsql;
using static Lucid.Storage.Postgres.StoredValues;

namespace Lucid.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<LoggedEvent>> AppendAsync(string logId, IReadOnlyList<SessionEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        return WriteAsync(connection => SessionThread.IsThreadId(logId)
            ? AppendToThreadAsync(connection, logId, events)
            : AppendToSessionAsync(connection, logId, events), cancellationToken);
    }

    private static async Task<IReadOnlyList<LoggedEvent>> AppendToSessionAsync(NpgsqlConnection connection, string sessionId, IReadOnlyList<SessionEvent> events)
    {
        var session = await LogRows.LockSessionAsync(connection, sessionId) ?? throw new KeyNotFoundException($"Session '{sessionId}' does not exist.");
        var (after, logged) = LogFold.OntoSession(session, events);
        // Announced first, and still only if all the rest commits: a notice belongs to its transaction.
        await LogAnnouncements.AnnounceAsync(connection, sessionId, logged);
        await LogRows.InsertAsync(connection, logged, toThread: false);
        await LogRows.WriteSessionAsync(connection, after);
        await WebhookOutbox.RecordAsync(connection, WebhookTriggers.OfSessionLog(session, logged));
        return logged;
    }

    private static async Task<IReadOnlyList<LoggedEvent>> AppendToThreadAsync(NpgsqlConnection connection, string threadId, IReadOnlyList<SessionEvent> events)
    {
        // The thread's row first, then its session's: every appender takes them in this order.
        var thread = await LogRows.LockThreadAsync(connection, threadId) ?? throw new KeyNotFoundException($"Thread '{threadId}' does not exist.");
        var session = await LogRows.LockSessionAsync(connection, thread.SessionId) ?? throw new KeyNotFoundException($"Session '{thread.SessionId}' does not exist.");
        var (after, sessionAfter, logged) = LogFold.OntoThread(thread, session, events);
        await LogAnnouncements.AnnounceAsync(connection, threadId, logged);
        await LogRows.InsertAsync(connection, logged, toThread: true);
        await LogRows.WriteThreadAsync(connection, after);
        await LogRows.WriteSessionAsync(connection, sessionAfter);
        return logged;
    }

    // The table and key column of a log: a session's own log, or a thread's.
    private static (string Table, string Key) LogOf(string logKey) =>
        SessionThread.IsThreadId(logKey) ? ("thread_events", "thread_id") : ("events", "session_id");

    /// <inheritdoc />
    public async Task<IReadOnlyList<LoggedEvent>> ReadAsync(string logId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        var (table, key) = LogOf(logId);
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QueryAsync(
            $"SELECT sequence, json FROM {table} WHERE {key} = @log AND sequence > @after ORDER BY sequence LIMIT @limit",
            r => ReadEvent(logId, r), cancellationToken, ("@log", logId), ("@after", afterSequence), ("@limit", Math.Max(0, limit)));
    }

    /// <inheritdoc />
    public async Task<Page<LoggedEvent>> ListEventsAsync(string logId, EventQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (table, key) = LogOf(logId);
        var list = KeysetQuery.ByNumber("sequence, json", table, "sequence", page, query.Descending)
            .Where($"{key} = @log", ("@log", logId))
            .WhereIn("type", query.Types)
            .WhereTime("processed_at", query.ProcessedAfter, query.ProcessedAtOrAfter, query.ProcessedBefore, query.ProcessedAtOrBefore);
        await using var connection = await OpenAsync(cancellationToken);
        return await list.ReadAsync(connection, r => ReadEvent(logId, r), cancellationToken);
    }

    private static LoggedEvent ReadEvent(string logId, NpgsqlDataReader reader) =>
        new(logId, reader.GetInt64(0), ReadJson(reader, 1, LucidJsonContext.Default.SessionEvent));
}
