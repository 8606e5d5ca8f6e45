using Lucid.Events;
using Npgsql;

namespace Lucid.Storage.Postgres;

/// <summary>
/// The store on a PostgreSQL database, which several processes may share. Every write goes through this process's one
/// writer, which commits what has gathered in one transaction (group commit, as the SQLite store does); reads run
/// concurrently on pooled connections. A log's next sequence number is read from its session's (or thread's) row under a
/// row lock (<c>SELECT … FOR UPDATE</c>) inside the appending transaction, so appenders in any process queue on the row
/// and a log stays gapless and ordered. An append announces itself with <c>NOTIFY</c> when it commits
/// (<see cref="ListenAsync"/>). The bytes of files and skills are in the database too (<see cref="Blobs"/>). The schema
/// is migrated on open, under an advisory lock.
/// </summary>
public sealed partial class PostgresStore : ILucidStore, ILogCommitFeed, IBlobHoldingStore
{
    private readonly NpgsqlDataSource _source;
    private readonly PostgresWriter _writer;
    private readonly LogListener _listener;
    private readonly TimeProvider _clock;

    private PostgresStore(NpgsqlDataSource source, PostgresWriter writer, LogListener listener, PostgresStoreOptions options)
    {
        _source = source;
        _writer = writer;
        _listener = listener;
        _clock = options.Clock;
        Blobs = new PostgresBlobStore(source, options.BlobSpoolDirectory);
    }

    /// <summary>Where the database is, as <c>postgresql://host:port/database</c>: the connection string without its user or password.</summary>
    public required string Location { get; init; }

    /// <summary>The bytes of files and skills, which every process on the database shares.</summary>
    public IBlobStore Blobs { get; }

    /// <summary>How many write transactions have committed since the store opened (each may hold many callers' writes).</summary>
    internal long Commits => _writer.Commits;

    /// <summary>Connects to the database named by <paramref name="connectionString"/> (an Npgsql connection string) and applies pending migrations.</summary>
    public static Task<PostgresStore> OpenAsync(string connectionString, CancellationToken cancellationToken) =>
        OpenAsync(connectionString, new PostgresStoreOptions(), cancellationToken);

    /// <summary>Connects to the database named by <paramref name="connectionString"/> with options, and applies pending migrations.</summary>
    /// <exception cref="ArgumentException">The connection string is not one Npgsql reads.</exception>
    /// <exception cref="StoreUnavailableException">The database cannot be reached, or is not UTF-8.</exception>
    public static async Task<PostgresStore> OpenAsync(string connectionString, PostgresStoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.CatchUpInterval <= TimeSpan.Zero && options.CatchUpInterval != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.CatchUpInterval, "CatchUpInterval must be positive, or infinite to turn it off.");
        }

        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // Statements the store runs again and again are prepared on each pooled connection after a few uses.
        builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        var source = builder.Build();
        try
        {
            await using (var connection = await source.OpenConnectionAsync(cancellationToken))
            {
                // Memory paths are listed in the order of their UTF-8 bytes: the database must hold text as UTF-8.
                var encoding = await connection.ScalarAsync("SHOW server_encoding", cancellationToken) as string;
                if (!string.Equals(encoding, "UTF8", StringComparison.OrdinalIgnoreCase))
                {
                    throw new StoreUnavailableException($"The database's encoding is {encoding}; Lucid needs a UTF8 database (CREATE DATABASE … ENCODING 'UTF8').");
                }

                await Migrations.ApplyAsync(connection, cancellationToken);
            }

            var settings = builder.ConnectionStringBuilder;
            return new PostgresStore(source, new PostgresWriter(source), new LogListener(connectionString, options), options) { Location = $"postgresql://{settings.Host}:{settings.Port}/{settings.Database ?? settings.Username}" };
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            await source.DisposeAsync();
            throw new StoreUnavailableException($"Cannot open the PostgreSQL store: {ex.Message}", ex);
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }

    /// <summary>How many migrations the database has applied.</summary>
    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await Migrations.VersionAsync(connection, cancellationToken);
    }

    /// <summary>
    /// Notices of appends that any process sharing the database commits (this one's too), through one <c>LISTEN</c>
    /// connection of this call's own, opened again whenever it breaks; see <see cref="ILogCommitFeed.ListenAsync"/>.
    /// </summary>
    public IAsyncEnumerable<LogNotice> ListenAsync(CancellationToken cancellationToken) => _listener.ListenAsync(cancellationToken);

    /// <summary>Commits the writes already queued, closes the writer and its pooled connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _source.DisposeAsync();
    }

    private ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => _source.OpenConnectionAsync(cancellationToken);

    private Task<T> WriteAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken) => _writer.WriteAsync(work, cancellationToken);

    private Task<bool> WriteAsync(Func<NpgsqlConnection, Task> work, CancellationToken cancellationToken) =>
        _writer.WriteAsync(async connection =>
        {
            await work(connection);
            return true;
        }, cancellationToken);
}
