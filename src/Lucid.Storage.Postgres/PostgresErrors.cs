using Npgsql;

namespace Lucid.Storage.Postgres;

/// <summary>Which PostgreSQL errors mean the store cannot take a write now (and nothing was written), rather than a job's own error.</summary>
internal static class PostgresErrors
{
    /// <summary>
    /// A lost connection, a server shutting down or out of resources (disk, connections), or a deadlock or serialization
    /// failure with another process's transaction: a <see cref="StoreUnavailableException"/> that the caller may retry.
    /// Anything else is returned as it is.
    /// </summary>
    public static Exception Unavailable(Exception ex) => ex switch
    {
        StoreUnavailableException => ex,
        PostgresException { SqlState: "40P01" or "40001" } =>
            new StoreUnavailableException("The write conflicted with another process's transaction on the database; nothing was written. Retry shortly.", ex),
        PostgresException { SqlState: var state } when state.StartsWith("53", StringComparison.Ordinal) || state.StartsWith("57", StringComparison.Ordinal) || state.StartsWith("08", StringComparison.Ordinal) =>
            new StoreUnavailableException($"The database cannot take the write now ({state}: {((PostgresException)ex).MessageText}); nothing was written. Retry shortly.", ex),
        PostgresException => ex,
        NpgsqlException or TimeoutException =>
            new StoreUnavailableException($"The database cannot be reached ({ex.Message}); nothing was written. Retry shortly.", ex),
        _ => ex,
    };
}
