using System.Text.Json;
using Lucid.Json;
using Lucid.Threads;
using Microsoft.Data.Sqlite;
using static Lucid.Storage.Sqlite.StoredValues;

namespace Lucid.Storage.Sqlite;

public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public Task CreateThreadAsync(SessionThread thread, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        return WriteAsync(async connection =>
        {
            if (Log(connection).ReadSession(thread.SessionId) is null)
            {
                throw new KeyNotFoundException($"Session '{thread.SessionId}' does not exist.");
            }

            await connection.ExecuteAsync("INSERT INTO threads (id, session_id, created_at, last_sequence, json) VALUES ($id, $session, $created, $last, $json)",
                CancellationToken.None,
                ("$id", thread.Id), ("$session", thread.SessionId), ("$created", Time(thread.CreatedAt)), ("$last", thread.LastSequence),
                ("$json", JsonSerializer.Serialize(thread, LucidJsonContext.Default.SessionThread)));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<SessionThread?> GetThreadAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync("SELECT json FROM threads WHERE id = $id", ReadThread, cancellationToken, ("$id", id));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SessionThread>> ListThreadsAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QueryAsync("SELECT json FROM threads WHERE session_id = $session ORDER BY created_at, id", ReadThread, cancellationToken, ("$session", sessionId));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SessionThread>> ListRunningThreadsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QueryAsync("SELECT json FROM threads WHERE json_extract(json, '$.status') IN ('running', 'rescheduling') ORDER BY created_at, id",
            ReadThread, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ArchiveThreadAsync(string id, DateTimeOffset archivedAt, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            var log = Log(connection);
            if (log.ReadThread(id) is not { } current)
            {
                return Task.FromResult(false);
            }

            log.WriteThread(current with { ArchivedAt = archivedAt, UpdatedAt = archivedAt });
            return Task.FromResult(true);
        }, cancellationToken);

    private static SessionThread ReadThread(SqliteDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.SessionThread);
}
