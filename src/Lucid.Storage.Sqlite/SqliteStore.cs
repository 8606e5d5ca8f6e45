using System.Globalization;
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
        await using (var connection = await store.OpenAsync(cancellationToken))
        {
            await Migrations.ApplyAsync(connection, cancellationToken);
        }

        return store;
    }

    /// <summary>How many migrations the database has applied.</summary>
    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return Convert.ToInt32(await connection.ScalarAsync("PRAGMA user_version", cancellationToken), CultureInfo.InvariantCulture);
    }

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
        await connection.ExecuteAsync("PRAGMA synchronous=FULL", cancellationToken);
        if (_options.MaxPageCount is { } pages)
        {
            await connection.ExecuteAsync($"PRAGMA max_page_count = {pages}", cancellationToken);
        }

        return connection;
    }

    // One write transaction at a time in this process; BEGIN IMMEDIATE takes SQLite's write lock up front, so a second
    // process writing the same file waits (busy timeout) instead of failing a read-to-write upgrade.
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await connection.ExecuteAsync("BEGIN IMMEDIATE", cancellationToken);
            try
            {
                var result = await work(connection);
                await connection.ExecuteAsync("COMMIT", CancellationToken.None);
                return result;
            }
            catch when (SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0)
            {
                await connection.ExecuteAsync("ROLLBACK", CancellationToken.None);
                throw;
            }
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

    private Task<bool> WriteAsync(Func<SqliteConnection, Task> work, CancellationToken cancellationToken) =>
        WriteAsync<bool>(async connection =>
        {
            await work(connection);
            return true;
        }, cancellationToken);
}
