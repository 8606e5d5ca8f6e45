using System.Text.Json;
using Lucid.Dreams;
using Lucid.Json;
using Npgsql;
using static Lucid.Storage.Postgres.StoredValues;

namespace Lucid.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public Task<string?> CreateDreamAsync(Dream dream, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            if (dream.HeldStoreId is { } held && await HolderAsync(connection, held) is { } holder)
            {
                return holder;
            }

            // The unique index on held stores makes a dream that another process stored first win; then this one is not stored.
            var stored = await connection.ExecuteAsync("""
                INSERT INTO dreams (id, workspace_id, status, held_store_id, created_at, archived_at, json)
                VALUES (@id, @workspace, @status, @held, @created, @archived, @json)
                ON CONFLICT (held_store_id) WHERE held_store_id IS NOT NULL AND status IN ('pending', 'running') DO NOTHING
                """, CancellationToken.None,
                ("@id", dream.Id), ("@workspace", dream.WorkspaceId), ("@status", dream.Status.ToWire()), ("@held", dream.HeldStoreId),
                ("@created", Time(dream.CreatedAt)), ("@archived", Time(dream.ArchivedAt)), ("@json", JsonSerializer.Serialize(dream, LucidJsonContext.Default.Dream)));
            return stored > 0 || dream.HeldStoreId is not { } store ? null : await HolderAsync(connection, store);
        }, cancellationToken);

    private static async Task<string?> HolderAsync(NpgsqlConnection connection, string storeId) =>
        await connection.ScalarAsync("SELECT id FROM dreams WHERE held_store_id = @store AND status IN ('pending', 'running') LIMIT 1",
            CancellationToken.None, ("@store", storeId)) as string;

    /// <inheritdoc />
    public async Task<Dream?> GetDreamAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetDreamAsync(connection, id, cancellationToken);
    }

    private static Task<Dream?> GetDreamAsync(NpgsqlConnection connection, string id, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync("SELECT json FROM dreams WHERE id = @id", ReadDream, cancellationToken, ("@id", id));

    /// <inheritdoc />
    public Task<Dream?> UpdateDreamAsync(string id, Func<Dream, Dream?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(async connection =>
        {
            var current = await connection.QuerySingleAsync("SELECT json FROM dreams WHERE id = @id FOR UPDATE", ReadDream, CancellationToken.None, ("@id", id));
            if (current is null || change(current) is not { } next)
            {
                return current;
            }

            await connection.ExecuteAsync("UPDATE dreams SET status = @status, archived_at = @archived, json = @json WHERE id = @id", CancellationToken.None,
                ("@id", id), ("@status", next.Status.ToWire()), ("@archived", Time(next.ArchivedAt)),
                ("@json", JsonSerializer.Serialize(next, LucidJsonContext.Default.Dream)));
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
            list.Where("workspace_id = @workspace", ("@workspace", workspaceId));
        }

        if (!query.IncludeArchived)
        {
            list.Where("archived_at IS NULL");
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await list.ReadAsync(connection, ReadDream, cancellationToken);
    }

    private static Dream ReadDream(NpgsqlDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.Dream);
}
