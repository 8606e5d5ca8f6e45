using System.Text.Json;
using Lucid.Events;
using Lucid.Json;
using Lucid.Sessions;
using Lucid.Threads;
using Microsoft.Data.Sqlite;
using static Lucid.Storage.Sqlite.StoredValues;

namespace Lucid.Storage.Sqlite;

/// <summary>
/// The statements of every append, prepared once on the writer's connection: insert an event into a session's or a
/// thread's log, and insert, read and write the session and thread rows. Used only from the writer's loop.
/// </summary>
internal sealed class LogStatements : IDisposable
{
    private readonly SqliteCommand _insertSessionEvent;
    private readonly SqliteCommand _insertThreadEvent;
    private readonly SqliteCommand _insertSession;
    private readonly SqliteCommand _readSession;
    private readonly SqliteCommand _writeSession;
    private readonly SqliteCommand _readThread;
    private readonly SqliteCommand _writeThread;
    private readonly WrittenRows _rows;

    public LogStatements(SqliteConnection connection, WrittenRows rows)
    {
        _rows = rows;
        const string EventColumns = "sequence, id, type, processed_at, json) VALUES ($key, $sequence, $id, $type, $at, $json)";
        _insertSessionEvent = Prepare(connection, $"INSERT INTO events (session_id, {EventColumns}",
            ("$key", SqliteType.Text), ("$sequence", SqliteType.Integer), ("$id", SqliteType.Text), ("$type", SqliteType.Text), ("$at", SqliteType.Text), ("$json", SqliteType.Text));
        _insertThreadEvent = Prepare(connection, $"INSERT INTO thread_events (thread_id, {EventColumns}",
            ("$key", SqliteType.Text), ("$sequence", SqliteType.Integer), ("$id", SqliteType.Text), ("$type", SqliteType.Text), ("$at", SqliteType.Text), ("$json", SqliteType.Text));
        _insertSession = Prepare(connection, """
            INSERT INTO sessions (id, workspace_id, agent_id, agent_version, status, created_at, archived_at, last_sequence, json)
            VALUES ($id, $workspace, $agent, $version, $status, $created, $archived, $last, $json)
            """,
            ("$id", SqliteType.Text), ("$workspace", SqliteType.Text), ("$agent", SqliteType.Text), ("$version", SqliteType.Integer),
            ("$status", SqliteType.Text), ("$created", SqliteType.Text), ("$archived", SqliteType.Text), ("$last", SqliteType.Integer), ("$json", SqliteType.Text));
        _readSession = Prepare(connection, "SELECT json FROM sessions WHERE id = $id", ("$id", SqliteType.Text));
        _writeSession = Prepare(connection, "UPDATE sessions SET status = $status, archived_at = $archived, last_sequence = $last, json = $json WHERE id = $id",
            ("$id", SqliteType.Text), ("$status", SqliteType.Text), ("$archived", SqliteType.Text), ("$last", SqliteType.Integer), ("$json", SqliteType.Text));
        _readThread = Prepare(connection, "SELECT json FROM threads WHERE id = $id", ("$id", SqliteType.Text));
        _writeThread = Prepare(connection, "UPDATE threads SET last_sequence = $last, json = $json WHERE id = $id",
            ("$id", SqliteType.Text), ("$last", SqliteType.Integer), ("$json", SqliteType.Text));
    }

    public Session? ReadSession(string id) => Cached(id, _readSession, LucidJsonContext.Default.Session);

    public SessionThread? ReadThread(string id) => Cached(id, _readThread, LucidJsonContext.Default.SessionThread);

    public void InsertSession(Session session)
    {
        Execute(_insertSession,
            session.Id, session.WorkspaceId, session.AgentId, session.AgentVersion, Status(session.Status), Time(session.CreatedAt), Time(session.ArchivedAt),
            session.LastSequence, SessionJson(session));
        _rows.Put(session.Id, session);
    }

    public void WriteSession(Session session)
    {
        Execute(_writeSession,
            session.Id, Status(session.Status), Time(session.ArchivedAt), session.LastSequence, SessionJson(session));
        _rows.Put(session.Id, session);
    }

    public void WriteThread(SessionThread thread)
    {
        Execute(_writeThread, thread.Id, thread.LastSequence, JsonSerializer.Serialize(thread, LucidJsonContext.Default.SessionThread));
        _rows.Put(thread.Id, thread);
    }

    /// <summary>Inserts an event into its log: a thread's when <paramref name="toThread"/>, else its session's.</summary>
    public void Insert(LoggedEvent entry, bool toThread) => Execute(toThread ? _insertThreadEvent : _insertSessionEvent,
        entry.SessionId, entry.Sequence, entry.Event.Id, entry.Event.Type, Time(entry.Event.ProcessedAt), entry.Json);

    public void Dispose()
    {
        foreach (var command in new[] { _insertSessionEvent, _insertThreadEvent, _insertSession, _readSession, _writeSession, _readThread, _writeThread })
        {
            command.Dispose();
        }
    }

    private static string SessionJson(Session session) => JsonSerializer.Serialize(session, LucidJsonContext.Default.Session);

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }

    // Values bind in the order the parameters were declared.
    private static void Execute(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }

    private T? Cached<T>(string id, SqliteCommand command, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        if (_rows.Get<T>(id) is { } known)
        {
            return known;
        }

        var read = ReadJson(command, id, type);
        if (read is not null)
        {
            _rows.Put(id, read);
        }

        return read;
    }

    private static T? ReadJson<T>(SqliteCommand command, string id, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        command.Parameters[0].Value = id;
        using var reader = command.ExecuteReader();
        return reader.Read() ? StoredValues.ReadJson(reader, 0, type) : null;
    }
}
