using System.Text.Json;
using Lucid.Json;
using Lucid.Threads;
using Npgsql;
using static Lucid.Storage.Postgres.StoredValues;

namespace Lucid.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public Task CreateThreadAsync(SessionThread thread, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        return WriteAsync(async connection =>
        {
            // FOR SHARE: the session cannot be deleted before the thread is in.
            if (await connection.ScalarAsync("SELECT 1 FROM sessions WHERE id = @id FOR SHARE", CancellationToken.None, ("@id", thread.SessionId)) is null)
            {
                throw new KeyNotFoundException($"Session '{thread.SessionId}' does not exist.");
            }

            await connection.ExecuteAsync("INSERT INTO threads (id, session_id, created_at, last_sequence, json) VALUES (@id, @session, @created, @last, @json)",
                CancellationToken.None,
                ("@id", thread.Id), ("@session", thread.SessionId), ("@created", Time(thread.CreatedAt)), ("@last", thread.LastSequence),
                ("@json", JsonSerializer.Serialize(thread, LucidJsonContext.Default.SessionThread)));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<SessionThread?> GetThreadAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync("SELECT json FROM threads WHERE id = @id", ReadThread, cancellationToken, ("@id", id));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SessionThread>> ListThreadsAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QueryAsync("SELECT json FROM threads WHERE session_id = @session ORDER BY created_at, id", ReadThread, cancellationToken, ("@session", sessionId));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SessionThread>> ListRunningThreadsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QueryAsync("SELECT json FROM threads WHERE json::jsonb ->> 'status' IN ('running', 'rescheduling') ORDER BY created_at, id",
            ReadThread, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ArchiveThreadAsync(string id, DateTimeOffset archivedAt, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            if (await LogRows.LockThreadAsync(connection, id) is not { } current)
            {
                return false;
            }

            await LogRows.WriteThreadAsync(connection, current with { ArchivedAt = archivedAt, UpdatedAt = archivedAt });
            return true;
        }, cancellationToken);

    private static SessionThread ReadThread(NpgsqlDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.SessionThread);
}
