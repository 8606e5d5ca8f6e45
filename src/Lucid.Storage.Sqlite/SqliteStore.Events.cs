using System.Text.Json;
using Lucid.Events;
using Lucid.Json;
using Lucid.Sessions;
using Lucid.Threads;
using Microsoft.Data.Sqlite;
using static Lucid.Storage.Sqlite.StoredValues;

namespace Lucid.Storage.Sqlite;

public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<LoggedEvent>> AppendAsync(string sessionId, IReadOnlyList<SessionEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (SessionThread.IsThreadId(sessionId))
        {
            return AppendToThreadAsync(sessionId, events, cancellationToken);
        }

        return WriteAsync<IReadOnlyList<LoggedEvent>>(async connection =>
        {
            var session = await GetSessionAsync(connection, sessionId, CancellationToken.None)
                ?? throw new KeyNotFoundException($"Session '{sessionId}' does not exist.");
            var logged = new List<LoggedEvent>(events.Count);
            await using var insert = InsertEventCommand(connection, "events", "session_id");
            foreach (var e in events)
            {
                var entry = new LoggedEvent(sessionId, session.LastSequence + 1, e);
                await InsertEventAsync(insert, entry);
                session = SessionProjection.Apply(session, entry);
                logged.Add(entry);
            }

            await WriteSessionAsync(connection, session);
            return logged;
        }, cancellationToken);
    }

    private Task<IReadOnlyList<LoggedEvent>> AppendToThreadAsync(string threadId, IReadOnlyList<SessionEvent> events, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<LoggedEvent>>(async connection =>
        {
            var thread = await GetThreadAsync(connection, threadId, CancellationToken.None)
                ?? throw new KeyNotFoundException($"Thread '{threadId}' does not exist.");
            var session = await GetSessionAsync(connection, thread.SessionId, CancellationToken.None)
                ?? throw new KeyNotFoundException($"Session '{thread.SessionId}' does not exist.");
            var logged = new List<LoggedEvent>(events.Count);
            await using var insert = InsertEventCommand(connection, "thread_events", "thread_id");
            foreach (var e in events)
            {
                var entry = new LoggedEvent(threadId, thread.LastSequence + 1, e);
                await InsertEventAsync(insert, entry);
                thread = ThreadProjection.Apply(thread, entry);
                session = SessionProjection.AddThreadUsage(session, ThreadProjection.UsageOf(entry));
                logged.Add(entry);
            }

            await WriteThreadAsync(connection, thread);
            await WriteSessionAsync(connection, session);
            return logged;
        }, cancellationToken);

    private static SqliteCommand InsertEventCommand(SqliteConnection connection, string table, string keyColumn)
    {
        var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO {table} ({keyColumn}, sequence, id, type, processed_at, json) VALUES ($key, $sequence, $id, $type, $at, $json)";
        insert.Parameters.Add("$key", SqliteType.Text);
        insert.Parameters.Add("$sequence", SqliteType.Integer);
        insert.Parameters.Add("$id", SqliteType.Text);
        insert.Parameters.Add("$type", SqliteType.Text);
        insert.Parameters.Add("$at", SqliteType.Text);
        insert.Parameters.Add("$json", SqliteType.Text);
        return insert;
    }

    private static async Task InsertEventAsync(SqliteCommand insert, LoggedEvent entry)
    {
        insert.Parameters["$key"].Value = entry.SessionId;
        insert.Parameters["$sequence"].Value = entry.Sequence;
        insert.Parameters["$id"].Value = entry.Event.Id;
        insert.Parameters["$type"].Value = entry.Event.Type;
        insert.Parameters["$at"].Value = Time(entry.Event.ProcessedAt);
        insert.Parameters["$json"].Value = JsonSerializer.Serialize(entry.Event, LucidJsonContext.Default.SessionEvent);
        await insert.ExecuteNonQueryAsync(CancellationToken.None);
    }

    // The table and key column of a log: a session's own log, or a thread's.
    private static (string Table, string Key) LogOf(string logKey) =>
        SessionThread.IsThreadId(logKey) ? ("thread_events", "thread_id") : ("events", "session_id");

    /// <inheritdoc />
    public async Task<IReadOnlyList<LoggedEvent>> ReadAsync(string sessionId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        var (table, key) = LogOf(sessionId);
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QueryAsync(
            $"SELECT sequence, json FROM {table} WHERE {key} = $session AND sequence > $after ORDER BY sequence LIMIT $limit",
            r => ReadEvent(sessionId, r), cancellationToken, ("$session", sessionId), ("$after", afterSequence), ("$limit", Math.Max(0, limit)));
    }

    /// <inheritdoc />
    public async Task<Page<LoggedEvent>> ListEventsAsync(string sessionId, EventQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (table, key) = LogOf(sessionId);
        var list = KeysetQuery.ByNumber("sequence, json", table, "sequence", page, query.Descending)
            .Where($"{key} = $session", ("$session", sessionId))
            .WhereIn("type", query.Types)
            .WhereTime("processed_at", query.ProcessedAfter, query.ProcessedAtOrAfter, query.ProcessedBefore, query.ProcessedAtOrBefore);
        await using var connection = await OpenAsync(cancellationToken);
        return await list.ReadAsync(connection, r => ReadEvent(sessionId, r), cancellationToken);
    }

    private static LoggedEvent ReadEvent(string sessionId, SqliteDataReader reader) =>
        new(sessionId, reader.GetInt64(0), ReadJson(reader, 1, LucidJsonContext.Default.SessionEvent));
}
