using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Lucid.Storage.Sqlite;

/// <summary>
/// A statement the writer runs for every job, prepared once on its connection and run straight through SQLite:
/// values bound in place (text as UTF-16, which SQLite stores as UTF-8), stepped, reset. A <see cref="SqliteCommand"/>
/// makes a data reader, a statement enumerator and a parameter binder per parameter on every execution, and a byte
/// array for every text value. Only for statements inside the writer's transaction, which never wait for a lock
/// (Microsoft.Data.Sqlite's busy retries are not needed); errors are thrown as the <see cref="SqliteException"/> a
/// command would throw.
/// </summary>
internal sealed class PreparedStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public PreparedStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The writer's connection is not open.");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_db, sql, out _statement), _db);
    }

    /// <summary>Binds text, or NULL, to the parameter at <paramref name="index"/> (from 1, in the order of the SQL).</summary>
    public PreparedStatement Bind(int index, string? value)
    {
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));
        return this;
    }

    /// <summary>Binds an integer to the parameter at <paramref name="index"/>.</summary>
    public PreparedStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    /// <summary>Runs the statement to its end.</summary>
    public void Execute()
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            while (rc == raw.SQLITE_ROW)
            {
                rc = raw.sqlite3_step(_statement);
            }

            Check(rc == raw.SQLITE_DONE ? raw.SQLITE_OK : rc);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Reads the first column of the first row as JSON, straight from the bytes SQLite holds; null when there is no row.</summary>
    public T? ReadJson<T>(JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc == raw.SQLITE_DONE)
            {
                return null;
            }

            Check(rc == raw.SQLITE_ROW ? raw.SQLITE_OK : rc);
            return JsonSerializer.Deserialize(raw.sqlite3_column_blob(_statement, 0), type)
                ?? throw new InvalidDataException($"A stored {typeof(T).Name} is null.");
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc) => SqliteException.ThrowExceptionForRC(rc, _db);
}
