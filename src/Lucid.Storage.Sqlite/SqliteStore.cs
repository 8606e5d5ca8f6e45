using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Lucid.Storage.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode. Every write goes through one writer that commits what has
/// gathered in one transaction (group commit: many callers share each fsync); reads run concurrently on pooled
/// read-only connections. <c>synchronous=FULL</c>: a committed transaction survives a killed process and a power loss.
/// </summary>
public sealed partial class SqliteStore : ILucidStore
{
    private readonly string _readConnectionString;
    private readonly SqliteWriter _writer;
    private readonly TimeProvider _clock;
    private LogStatements? _log;

    private SqliteStore(string readConnectionString, SqliteWriter writer, TimeProvider clock)
    {
        _readConnectionString = readConnectionString;
        _writer = writer;
        _clock = clock;
    }

    /// <summary>The database file.</summary>
    public required string Path { get; init; }

    /// <summary>How many write transactions have committed since the store opened (each may hold many callers' writes).</summary>
    internal long Commits => _writer.Commits;

    /// <summary>Opens (creating if needed) the database at <paramref name="databasePath"/> and applies pending migrations.</summary>
    public static Task<SqliteStore> OpenAsync(string databasePath, CancellationToken cancellationToken) =>
        OpenAsync(databasePath, new SqliteStoreOptions(), cancellationToken);

    /// <summary>Opens (creating if needed) the database at <paramref name="databasePath"/> with options, and applies pending migrations.</summary>
    public static async Task<SqliteStore> OpenAsync(string databasePath, SqliteStoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var full = System.IO.Path.GetFullPath(databasePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full) ?? ".");
        var timeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds));
        // The writer's own connection, kept open for the store's life; not pooled, so its settings stay with it.
        var writing = new SqliteConnectionStringBuilder
        {
            DataSource = full, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false, ForeignKeys = true, DefaultTimeout = timeout,
        }.ToString();
        var reading = new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadOnly, Pooling = true, DefaultTimeout = timeout }.ToString();
        var writer = await SqliteWriter.OpenAsync(writing, full, options.MaxPageCount, cancellationToken);
        return new SqliteStore(reading, writer, options.Clock) { Path = full };
    }

    /// <summary>How many migrations the database has applied.</summary>
    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return Convert.ToInt32(await connection.ScalarAsync("PRAGMA user_version", cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>Commits the writes already queued, closes the writer and releases pooled connections, so the file can be moved or deleted.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        using var connection = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken) => _writer.WriteAsync(work, cancellationToken);

    private Task<bool> WriteAsync(Func<SqliteConnection, Task> work, CancellationToken cancellationToken) =>
        _writer.WriteAsync(async connection =>
        {
            await work(connection);
            return true;
        }, cancellationToken);

    // Prepared on the writer's connection at its first use, and finalized by the writer; only the writer's loop calls this.
    private LogStatements Log(SqliteConnection writing) => _log ??= _writer.Own(new LogStatements(writing, _writer.Rows));
}
