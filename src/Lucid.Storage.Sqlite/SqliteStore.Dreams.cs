using System.Text.Json;
using Lucid.Dreams;
using Lucid.Json;
using Microsoft.Data.Sqlite;
using static Lucid.Storage.Sqlite.StoredValues;

namespace Lucid.Storage.Sqlite;

public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public Task<string?> CreateDreamAsync(Dream dream, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            if (dream.HeldStoreId is { } held)
            {
                var holder = await connection.ScalarAsync("SELECT id FROM dreams WHERE held_store_id = $store AND status IN ($pending, $running) LIMIT 1",
                    CancellationToken.None, ("$store", held), ("$pending", DreamStatus.Pending.ToWire()), ("$running", DreamStatus.Running.ToWire()));
                if (holder is string id)
                {
                    return id;
                }
            }

            await connection.ExecuteAsync("""
                INSERT INTO dreams (id, workspace_id, status, held_store_id, created_at, archived_at, json)
                VALUES ($id, $workspace, $status, $held, $created, $archived, $json)
                """, CancellationToken.None,
                ("$id", dream.Id), ("$workspace", dream.WorkspaceId), ("$status", dream.Status.ToWire()), ("$held", dream.HeldStoreId),
                ("$created", Time(dream.CreatedAt)), ("$archived", Time(dream.ArchivedAt)), ("$json", JsonSerializer.Serialize(dream, LucidJsonContext.Default.Dream)));
            return (string?)null;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<Dream?> GetDreamAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetDreamAsync(connection, id, cancellationToken);
    }

    private static Task<Dream?> GetDreamAsync(SqliteConnection connection, string id, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync("SELECT json FROM dreams WHERE id = $id", ReadDream, cancellationToken, ("$id", id));

    /// <inheritdoc />
    public Task<Dream?> UpdateDreamAsync(string id, Func<Dream, Dream?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(async connection =>
        {
            var current = await GetDreamAsync(connection, id, CancellationToken.None);
            if (current is null || change(current) is not { } next)
            {
                return current;
            }

            await connection.ExecuteAsync("UPDATE dreams SET status = $status, archived_at = $archived, json = $json WHERE id = $id", CancellationToken.None,
                ("$id", id), ("$status", next.Status.ToWire()), ("$archived", Time(next.ArchivedAt)),
                ("$json", JsonSerializer.Serialize(next, LucidJsonContext.Default.Dream)));
            return next;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Page<Dream>> ListDreamsAsync(string? workspaceId, DreamQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var list = KeysetQuery.ByCreation("json", "dreams", page)
            .WhereIn("status", query.Statuses?.Select(s => s.ToWire()))
            .WhereTime("created_at", query.CreatedAfter, null, query.CreatedBefore, null);
        if (workspaceId is not null)
        {
            list.Where("workspace_id = $workspace", ("$workspace", workspaceId));
        }

        if (!query.IncludeArchived)
        {
            list.Where("archived_at IS NULL");
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await list.ReadAsync(connection, ReadDream, cancellationToken);
    }

    private static Dream ReadDream(SqliteDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.Dream);
}
