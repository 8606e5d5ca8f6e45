using Microsoft.Data.Sqlite;

namespace Lucid.Benchmarks;

/// <summary>
/// The baseline of the store benchmarks: a bare table shaped like the store's event log (same primary key, a unique
/// event ID), in WAL with <c>synchronous=FULL</c>, filled by one prepared INSERT.
/// </summary>
internal sealed class RawEventTable : IDisposable
{
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _session;
    private readonly SqliteParameter _sequence;
    private readonly SqliteParameter _id;
    private readonly SqliteParameter _json;

    private RawEventTable(SqliteConnection connection)
    {
        Connection = connection;
        _insert = connection.CreateCommand();
        _insert.CommandText = "INSERT INTO events VALUES ($s, $q, $i, 'agent.message', '1970-01-01T00:00:00.0000000Z', $j)";
        _session = _insert.Parameters.Add("$s", SqliteType.Text);
        _sequence = _insert.Parameters.Add("$q", SqliteType.Integer);
        _id = _insert.Parameters.Add("$i", SqliteType.Text);
        _json = _insert.Parameters.Add("$j", SqliteType.Text);
        _insert.Prepare();
    }

    public SqliteConnection Connection { get; }

    /// <summary>Opens a database at <paramref name="path"/> and creates the table in it.</summary>
    public static RawEventTable Create(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var setup = connection.CreateCommand();
        setup.CommandText = """
            PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
            CREATE TABLE events (session_id TEXT NOT NULL, sequence INTEGER NOT NULL, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
              processed_at TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (session_id, sequence)) WITHOUT ROWID;
            """;
        setup.ExecuteNonQuery();
        return new RawEventTable(connection);
    }

    /// <summary>Starts a transaction that the following inserts join.</summary>
    public SqliteTransaction Begin()
    {
        var transaction = Connection.BeginTransaction();
        _insert.Transaction = transaction;
        return transaction;
    }

    public void Insert(string sessionId, long sequence, string eventId, string json)
    {
        _session.Value = sessionId;
        _sequence.Value = sequence;
        _id.Value = eventId;
        _json.Value = json;
        _insert.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _insert.Dispose();
        Connection.Dispose();
    }
}
