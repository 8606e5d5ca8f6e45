using Lucid.Events;
using Lucid.Json;
using Lucid.Sessions;
using Lucid.Threads;
using Lucid.Webhooks;
using Microsoft.Data.Sqlite;
using static Lucid.Storage.Sqlite.StoredValues;

namespace Lucid.Storage.Sqlite;

public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<LoggedEvent>> AppendAsync(string logId, IReadOnlyList<SessionEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        return WriteAsync(connection => Task.FromResult<IReadOnlyList<LoggedEvent>>(SessionThread.IsThreadId(logId)
            ? AppendToThread(Log(connection), logId, events)
            : AppendToSession(connection, logId, events)), cancellationToken);
    }

    private List<LoggedEvent> AppendToSession(SqliteConnection connection, string sessionId, IReadOnlyList<SessionEvent> events)
    {
        var log = Log(connection);
        var session = log.ReadSession(sessionId) ?? throw new KeyNotFoundException($"Session '{sessionId}' does not exist.");
        var (after, logged) = LogFold.OntoSession(session, events);
        InsertAll(log, logged);
        log.WriteSession(after);
        if (_writer.Outbox.Watches(connection, session.WorkspaceId))
        {
            _writer.Outbox.Record(connection, WebhookTriggers.OfSessionLog(session, logged));
        }

        return logged;
    }

    private static void InsertAll(LogStatements log, List<LoggedEvent> logged)
    {
        foreach (var entry in logged)
        {
            log.Insert(entry, toThread: false);
        }
    }

    private static List<LoggedEvent> AppendToThread(LogStatements log, string threadId, IReadOnlyList<SessionEvent> events)
    {
        var thread = log.ReadThread(threadId) ?? throw new KeyNotFoundException($"Thread '{threadId}' does not exist.");
        var session = log.ReadSession(thread.SessionId) ?? throw new KeyNotFoundException($"Session '{thread.SessionId}' does not exist.");
        var (after, sessionAfter, logged) = LogFold.OntoThread(thread, session, events);
        foreach (var entry in logged)
        {
            log.Insert(entry, toThread: true);
        }

        log.WriteThread(after);
        log.WriteSession(sessionAfter);
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
            $"SELECT sequence, json FROM {table} WHERE {key} = $session AND sequence > $after ORDER BY sequence LIMIT $limit",
            r => ReadEvent(logId, r), cancellationToken, ("$session", logId), ("$after", afterSequence), ("$limit", Math.Max(0, limit)));
    }

    /// <inheritdoc />
    public async Task<Page<LoggedEvent>> ListEventsAsync(string logId, EventQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (table, key) = LogOf(logId);
        var list = KeysetQuery.ByNumber("sequence, json", table, "sequence", page, query.Descending)
            .Where($"{key} = $session", ("$session", logId))
            .WhereIn("type", query.Types)
            .WhereTime("processed_at", query.ProcessedAfter, query.ProcessedAtOrAfter, query.ProcessedBefore, query.ProcessedAtOrBefore);
        await using var connection = await OpenAsync(cancellationToken);
        return await list.ReadAsync(connection, r => ReadEvent(logId, r), cancellationToken);
    }

    private static LoggedEvent ReadEvent(string sessionId, SqliteDataReader reader) =>
        new(sessionId, reader.GetInt64(0), ReadJson(reader, 1, LucidJsonContext.Default.SessionEvent));
}
