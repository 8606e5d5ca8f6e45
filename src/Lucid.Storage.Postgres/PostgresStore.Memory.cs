using System.Text.Json;
using Lucid.Json;
using Lucid.Memory;
using Lucid.Webhooks;
using Npgsql;
using static Lucid.Storage.Postgres.StoredValues;

namespace Lucid.Storage.Postgres;

public sealed partial class PostgresStore
{
    internal const string MemoryColumns = "id, store_id, path, content, content_sha256, content_size, version_id, created_at, updated_at";
    internal const string MemoryColumnsWithoutContent = "id, store_id, path, NULL, content_sha256, content_size, version_id, created_at, updated_at";

    /// <inheritdoc />
    public Task CreateMemoryStoreAsync(MemoryStore store, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await connection.ExecuteAsync("INSERT INTO memory_stores (id, workspace_id, created_at, archived_at, json) VALUES (@id, @workspace, @created, @archived, @json)",
                CancellationToken.None,
                ("@id", store.Id), ("@workspace", store.WorkspaceId), ("@created", Time(store.CreatedAt)), ("@archived", Time(store.ArchivedAt)),
                ("@json", JsonSerializer.Serialize(store, LucidJsonContext.Default.MemoryStore)));
            await WebhookOutbox.RecordAsync(connection, [WebhookTriggers.OfNewMemoryStore(store)]);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateMemoryStoreAsync(MemoryStore store, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            if (await connection.QuerySingleAsync("SELECT json FROM memory_stores WHERE id = @id FOR UPDATE", ReadStore, CancellationToken.None, ("@id", store.Id)) is not { } current)
            {
                return false;
            }

            await connection.ExecuteAsync("UPDATE memory_stores SET archived_at = @archived, json = @json WHERE id = @id", CancellationToken.None,
                ("@id", store.Id), ("@archived", Time(store.ArchivedAt)), ("@json", JsonSerializer.Serialize(store, LucidJsonContext.Default.MemoryStore)));
            await WebhookOutbox.RecordAsync(connection, WebhookTriggers.OfMemoryStoreChange(current, store));
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<MemoryStore?> GetMemoryStoreAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetMemoryStoreAsync(connection, id, cancellationToken);
    }

    internal static Task<MemoryStore?> GetMemoryStoreAsync(NpgsqlConnection connection, string id, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync("SELECT json FROM memory_stores WHERE id = @id", ReadStore, cancellationToken, ("@id", id));

    private static MemoryStore ReadStore(NpgsqlDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.MemoryStore);

    /// <inheritdoc />
    public async Task<Page<MemoryStore>> ListMemoryStoresAsync(string workspaceId, MemoryStoreQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var list = KeysetQuery.ByCreation("json", "memory_stores", page)
            .Where("workspace_id = @workspace", ("@workspace", workspaceId))
            .WhereTime("created_at", null, query.CreatedAtOrAfter, null, query.CreatedAtOrBefore);
        if (!query.IncludeArchived)
        {
            list.Where("archived_at IS NULL");
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await list.ReadAsync(connection, r => ReadJson(r, 0, LucidJsonContext.Default.MemoryStore), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteMemoryStoreAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var none = CancellationToken.None;
            if (await GetMemoryStoreAsync(connection, id, none) is { } store)
            {
                await WebhookOutbox.RecordAsync(connection, [WebhookTriggers.OfDeletedMemoryStore(store, _clock.GetUtcNow())]);
            }

            await connection.ExecuteAsync("DELETE FROM memory_versions WHERE store_id = @id", none, ("@id", id));
            await connection.ExecuteAsync("DELETE FROM memories WHERE store_id = @id", none, ("@id", id));
            return await connection.ExecuteAsync("DELETE FROM memory_stores WHERE id = @id", none, ("@id", id)) > 0;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<MemoryDocument?> GetMemoryAsync(string storeId, string memoryId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetMemoryAsync(connection, storeId, memoryId, cancellationToken);
    }

    internal static Task<MemoryDocument?> GetMemoryAsync(NpgsqlConnection connection, string storeId, string memoryId, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync($"SELECT {MemoryColumns} FROM memories WHERE id = @id AND store_id = @store", ReadMemory, cancellationToken,
            ("@id", memoryId), ("@store", storeId));

    /// <inheritdoc />
    public async Task<MemoryDocument?> FindMemoryAsync(string storeId, string path, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync($"SELECT {MemoryColumns} FROM memories WHERE store_id = @store AND path = @path", ReadMemory, cancellationToken,
            ("@store", storeId), ("@path", path));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MemoryDocument>> ScanMemoriesAsync(
        string storeId, string prefix, string? after, bool afterInclusive, int limit, bool includeContent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        await using var connection = await OpenAsync(cancellationToken);

        // Paths below a prefix ending in '/' are the range [prefix, prefix with its '/' turned into '0'): '0' follows '/'.
        // One lower bound only: given two, SQLite may seek on the looser one and filter thousands of rows.
        var upper = string.Concat(prefix.AsSpan(0, prefix.Length - 1), "0");
        var (lower, strict) = after is not null && MemoryPaths.CompareUtf8(after, prefix) >= 0 ? (after, !afterInclusive) : (prefix, false);
        return await connection.QueryAsync($"""
            SELECT {(includeContent ? MemoryColumns : MemoryColumnsWithoutContent)} FROM memories
            WHERE store_id = @store AND path {(strict ? ">" : ">=")} @lower AND path < @upper
            ORDER BY path LIMIT @limit
            """, ReadMemory, cancellationToken,
            ("@store", storeId), ("@lower", lower), ("@upper", upper), ("@limit", Math.Max(1, limit)));
    }

    /// <inheritdoc />
    public async Task<(int Count, long Bytes)> MemoryTotalsAsync(string storeId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync("SELECT COUNT(*), COALESCE(SUM(content_size), 0) FROM memories WHERE store_id = @store",
            r => ((int)r.GetInt64(0), r.GetInt64(1)), cancellationToken, ("@store", storeId));
        return rows[0];
    }

    /// <inheritdoc />
    public async Task<MemoryVersion?> GetMemoryVersionAsync(string storeId, string versionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetMemoryVersionAsync(connection, storeId, versionId, cancellationToken);
    }

    internal static Task<MemoryVersion?> GetMemoryVersionAsync(NpgsqlConnection connection, string storeId, string versionId, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync("SELECT json FROM memory_versions WHERE id = @id AND store_id = @store", ReadVersion, cancellationToken,
            ("@id", versionId), ("@store", storeId));

    /// <inheritdoc />
    public async Task<Page<MemoryVersion>> ListMemoryVersionsAsync(string storeId, MemoryVersionQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var list = KeysetQuery.ByNumber("json", "memory_versions", "seq", page, descending: true)
            .Where("store_id = @store", ("@store", storeId))
            .WhereIn("actor_kind", query.ActorKind switch
            {
                null => null,
                MemoryActorKind.Session => ["session", "dream"],
                var kind => [ActorKind(kind.Value)],
            })
            .WhereTime("created_at", null, query.CreatedAtOrAfter, null, query.CreatedAtOrBefore);
        if (query.MemoryId is not null)
        {
            list.Where("memory_id = @memory", ("@memory", query.MemoryId));
        }

        if (query.Operation is { } operation)
        {
            list.Where("operation = @operation", ("@operation", Operation(operation)));
        }

        if (query.ActorId is not null)
        {
            list.Where("actor_id = @actor", ("@actor", query.ActorId));
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await list.ReadAsync(connection, r => query.IncludeContent ? ReadVersion(r) : ReadVersion(r) with { Content = null }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<T> WriteMemoriesAsync<T>(string storeId, Func<IMemoryWriter, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return WriteAsync(async connection =>
        {
            // The store's row lock makes the batch one atomic step against every other process's writes to the store.
            await connection.ExecuteAsync("SELECT 1 FROM memory_stores WHERE id = @id FOR UPDATE", CancellationToken.None, ("@id", storeId));
            return await work(new PostgresMemoryWriter(connection, storeId), CancellationToken.None);
        }, cancellationToken);
    }

    internal static MemoryVersion ReadVersion(NpgsqlDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.MemoryVersion);

    internal static MemoryDocument ReadMemory(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        StoreId = r.GetString(1),
        Path = r.GetString(2),
        Content = r.IsDBNull(3) ? null : r.GetString(3),
        ContentSha256 = r.GetString(4),
        ContentSizeBytes = r.GetInt32(5),
        VersionId = r.GetString(6),
        CreatedAt = ReadTime(r, 7) ?? default,
        UpdatedAt = ReadTime(r, 8) ?? default,
    };

    internal static string Operation(MemoryOperation operation) => operation.ToString().ToLowerInvariant();

    internal static string ActorKind(MemoryActorKind kind) => kind switch
    {
        MemoryActorKind.ApiKey => "api_key",
        MemoryActorKind.User => "user",
        MemoryActorKind.Session => "session",
        _ => "dream",
    };
}
