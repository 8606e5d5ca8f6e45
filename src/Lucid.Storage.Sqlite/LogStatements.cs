using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
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
    private readonly PreparedStatement _insertSessionEvent;
    private readonly PreparedStatement _insertThreadEvent;
    private readonly PreparedStatement _insertSession;
    private readonly PreparedStatement _readSession;
    private readonly PreparedStatement _writeSession;
    private readonly PreparedStatement _readThread;
    private readonly PreparedStatement _writeThread;
    private readonly WrittenRows _rows;

    public LogStatements(SqliteConnection connection, WrittenRows rows)
    {
        _rows = rows;
        // Parameters are numbered in the order they appear (?1, ?2, …), the order the methods below bind them in.
        const string EventColumns = "sequence, id, type, processed_at, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
        _insertSessionEvent = new PreparedStatement(connection, $"INSERT INTO events (session_id, {EventColumns}");
        _insertThreadEvent = new PreparedStatement(connection, $"INSERT INTO thread_events (thread_id, {EventColumns}");
        _insertSession = new PreparedStatement(connection, """
            INSERT INTO sessions (id, workspace_id, agent_id, agent_version, status, created_at, archived_at, last_sequence, json)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """);
        _readSession = new PreparedStatement(connection, "SELECT json FROM sessions WHERE id = ?1");
        _writeSession = new PreparedStatement(connection, "UPDATE sessions SET status = ?2, archived_at = ?3, last_sequence = ?4, json = ?5 WHERE id = ?1");
        _readThread = new PreparedStatement(connection, "SELECT json FROM threads WHERE id = ?1");
        _writeThread = new PreparedStatement(connection, "UPDATE threads SET last_sequence = ?2, json = ?3 WHERE id = ?1");
    }

    public Session? ReadSession(string id) => Cached(id, _readSession, LucidJsonContext.Default.Session);

    public SessionThread? ReadThread(string id) => Cached(id, _readThread, LucidJsonContext.Default.SessionThread);

    public void InsertSession(Session session)
    {
        _insertSession.Bind(1, session.Id).Bind(2, session.WorkspaceId).Bind(3, session.AgentId).Bind(4, session.AgentVersion)
            .Bind(5, Status(session.Status)).Bind(6, Time(session.CreatedAt)).Bind(7, Time(session.ArchivedAt)).Bind(8, session.LastSequence)
            .Bind(9, SessionJson(session))
            .Execute();
        _rows.Put(session.Id, session);
    }

    public void WriteSession(Session session)
    {
        _writeSession.Bind(1, session.Id).Bind(2, Status(session.Status)).Bind(3, Time(session.ArchivedAt)).Bind(4, session.LastSequence)
            .Bind(5, SessionJson(session))
            .Execute();
        _rows.Put(session.Id, session);
    }

    public void WriteThread(SessionThread thread)
    {
        _writeThread.Bind(1, thread.Id).Bind(2, thread.LastSequence).Bind(3, JsonSerializer.Serialize(thread, LucidJsonContext.Default.SessionThread)).Execute();
        _rows.Put(thread.Id, thread);
    }

    /// <summary>Inserts an event into its log: a thread's when <paramref name="toThread"/>, else its session's.</summary>
    public void Insert(LoggedEvent entry, bool toThread) => (toThread ? _insertThreadEvent : _insertSessionEvent)
        .Bind(1, entry.SessionId).Bind(2, entry.Sequence).Bind(3, entry.Event.Id).Bind(4, entry.Event.Type).Bind(5, Time(entry.Event.ProcessedAt)).Bind(6, entry.Json)
        .Execute();

    public void Dispose()
    {
        foreach (var statement in new[] { _insertSessionEvent, _insertThreadEvent, _insertSession, _readSession, _writeSession, _readThread, _writeThread })
        {
            statement.Dispose();
        }
    }

    private static string SessionJson(Session session) => JsonSerializer.Serialize(session, LucidJsonContext.Default.Session);

    private T? Cached<T>(string id, PreparedStatement read, JsonTypeInfo<T> type)
        where T : class
    {
        if (_rows.Get<T>(id) is { } known)
        {
            return known;
        }

        var row = read.Bind(1, id).ReadJson(type);
        if (row is not null)
        {
            _rows.Put(id, row);
        }

        return row;
    }
}
