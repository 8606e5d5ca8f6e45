using System.Text.Json;
using Lucid.Json;
using Lucid.Memory;
using Microsoft.Data.Sqlite;

namespace Lucid.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private const string MemoryColumns = "id, store_id, path, content, content_sha256, content_size, version_id, created_at, updated_at";
    private const string MemoryColumnsWithoutContent = "id, store_id, path, NULL, content_sha256, content_size, version_id, created_at, updated_at";

    /// <inheritdoc />
    public Task CreateMemoryStoreAsync(MemoryStore store, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
            await Execute(connection, "INSERT INTO memory_stores (id, workspace_id, created_at, archived_at, json) VALUES ($id, $workspace, $created, $archived, $json)",
                cancellationToken, transaction,
                ("$id", store.Id), ("$workspace", store.WorkspaceId), ("$created", Time(store.CreatedAt)), ("$archived", Time(store.ArchivedAt)),
                ("$json", JsonSerializer.Serialize(store, LucidJsonContext.Default.MemoryStore))), cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateMemoryStoreAsync(MemoryStore store, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
            await Execute(connection, "UPDATE memory_stores SET archived_at = $archived, json = $json WHERE id = $id", cancellationToken, transaction,
                ("$id", store.Id), ("$archived", Time(store.ArchivedAt)), ("$json", JsonSerializer.Serialize(store, LucidJsonContext.Default.MemoryStore))) > 0,
            cancellationToken);

    /// <inheritdoc />
    public async Task<MemoryStore?> GetMemoryStoreAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await Query(connection, "SELECT json FROM memory_stores WHERE id = $id", ReadMemoryStore, cancellationToken, ("$id", id));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<Page<MemoryStore>> ListMemoryStoresAsync(string workspaceId, MemoryStoreQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (afterCreated, afterId) = Keyset.Decode(page.PageCursor);
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await Query(connection, $"""
            SELECT json FROM memory_stores
            WHERE workspace_id = $workspace
              {(query.IncludeArchived ? "" : "AND archived_at IS NULL")}
              {(query.CreatedAtOrAfter is null ? "" : "AND created_at >= $gte")}
              {(query.CreatedAtOrBefore is null ? "" : "AND created_at <= $lte")}
              {(afterCreated is null ? "" : "AND (created_at < $created OR (created_at = $created AND id < $after))")}
            ORDER BY created_at DESC, id DESC LIMIT $limit
            """, ReadMemoryStore, cancellationToken,
            ("$workspace", workspaceId), ("$gte", Time(query.CreatedAtOrAfter)), ("$lte", Time(query.CreatedAtOrBefore)),
            ("$created", afterCreated), ("$after", afterId), ("$limit", Limit(page) + 1));
        return Keyset.Page(rows, Limit(page), s => Keyset.Encode(Time(s.CreatedAt), s.Id));
    }

    /// <inheritdoc />
    public Task<bool> DeleteMemoryStoreAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await Execute(connection, "DELETE FROM memory_versions WHERE store_id = $id", cancellationToken, transaction, ("$id", id));
            await Execute(connection, "DELETE FROM memories WHERE store_id = $id", cancellationToken, transaction, ("$id", id));
            return await Execute(connection, "DELETE FROM memory_stores WHERE id = $id", cancellationToken, transaction, ("$id", id)) > 0;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<MemoryDocument?> GetMemoryAsync(string storeId, string memoryId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetMemoryAsync(connection, null, storeId, memoryId, cancellationToken);
    }

    private static async Task<MemoryDocument?> GetMemoryAsync(SqliteConnection connection, SqliteTransaction? transaction, string storeId, string memoryId, CancellationToken cancellationToken)
    {
        var rows = await Query(connection, transaction, $"SELECT {MemoryColumns} FROM memories WHERE id = $id AND store_id = $store", ReadMemory, cancellationToken,
            ("$id", memoryId), ("$store", storeId));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<MemoryDocument?> FindMemoryAsync(string storeId, string path, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await Query(connection, $"SELECT {MemoryColumns} FROM memories WHERE store_id = $store AND path = $path", ReadMemory, cancellationToken,
            ("$store", storeId), ("$path", path));
        return rows.Count == 0 ? null : rows[0];
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
        return await Query(connection, $"""
            SELECT {(includeContent ? MemoryColumns : MemoryColumnsWithoutContent)} FROM memories
            WHERE store_id = $store AND path {(strict ? ">" : ">=")} $lower AND path < $upper
            ORDER BY path LIMIT $limit
            """, ReadMemory, cancellationToken,
            ("$store", storeId), ("$lower", lower), ("$upper", upper), ("$limit", Math.Max(1, limit)));
    }

    /// <inheritdoc />
    public async Task<(int Count, long Bytes)> MemoryTotalsAsync(string storeId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await Query(connection, "SELECT COUNT(*), COALESCE(SUM(content_size), 0) FROM memories WHERE store_id = $store",
            r => (r.GetInt32(0), r.GetInt64(1)), cancellationToken, ("$store", storeId));
        return rows[0];
    }

    /// <inheritdoc />
    public async Task<MemoryVersion?> GetMemoryVersionAsync(string storeId, string versionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetVersionAsync(connection, null, storeId, versionId, cancellationToken);
    }

    private static async Task<MemoryVersion?> GetVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, string storeId, string versionId, CancellationToken cancellationToken)
    {
        var rows = await Query(connection, transaction, "SELECT json FROM memory_versions WHERE id = $id AND store_id = $store", ReadVersion, cancellationToken,
            ("$id", versionId), ("$store", storeId));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<Page<MemoryVersion>> ListMemoryVersionsAsync(string storeId, MemoryVersionQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var before = page.PageCursor is null ? (long?)null : Keyset.DecodeNumber(page.PageCursor);
        var kinds = query.ActorKind switch
        {
            null => null,
            MemoryActorKind.Session => "'session', 'dream'",
            var kind => $"'{ActorKind(kind.Value)}'",
        };
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await Query(connection, $"""
            SELECT json, seq FROM memory_versions
            WHERE store_id = $store
              {(query.MemoryId is null ? "" : "AND memory_id = $memory")}
              {(query.Operation is null ? "" : "AND operation = $operation")}
              {(kinds is null ? "" : $"AND actor_kind IN ({kinds})")}
              {(query.ActorId is null ? "" : "AND actor_id = $actor")}
              {(query.CreatedAtOrAfter is null ? "" : "AND created_at >= $gte")}
              {(query.CreatedAtOrBefore is null ? "" : "AND created_at <= $lte")}
              {(before is null ? "" : "AND seq < $before")}
            ORDER BY seq DESC LIMIT $limit
            """, r => (Version: ReadVersion(r), Seq: r.GetInt64(1)), cancellationToken,
            ("$store", storeId), ("$memory", query.MemoryId), ("$operation", query.Operation is { } op ? Operation(op) : null), ("$actor", query.ActorId),
            ("$gte", Time(query.CreatedAtOrAfter)), ("$lte", Time(query.CreatedAtOrBefore)), ("$before", before), ("$limit", Limit(page) + 1));
        var paged = Keyset.Page(rows, Limit(page), r => Keyset.EncodeNumber(r.Seq));
        return new Page<MemoryVersion>([.. paged.Items.Select(r => query.IncludeContent ? r.Version : r.Version with { Content = null })], paged.NextPage);
    }

    /// <inheritdoc />
    public Task<T> WriteMemoriesAsync<T>(string storeId, Func<IMemoryWriter, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return WriteAsync((connection, transaction) => work(new SqliteMemoryWriter(connection, transaction, storeId), cancellationToken), cancellationToken);
    }

    private static MemoryStore ReadMemoryStore(SqliteDataReader reader) => Deserialize(reader.GetString(0), LucidJsonContext.Default.MemoryStore);

    private static MemoryVersion ReadVersion(SqliteDataReader reader) => Deserialize(reader.GetString(0), LucidJsonContext.Default.MemoryVersion);

    private static MemoryDocument ReadMemory(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        StoreId = r.GetString(1),
        Path = r.GetString(2),
        Content = r.IsDBNull(3) ? null : r.GetString(3),
        ContentSha256 = r.GetString(4),
        ContentSizeBytes = r.GetInt32(5),
        VersionId = r.GetString(6),
        CreatedAt = ParseTime(r, 7) ?? default,
        UpdatedAt = ParseTime(r, 8) ?? default,
    };

    private static string Operation(MemoryOperation operation) => operation.ToString().ToLowerInvariant();

    private static string ActorKind(MemoryActorKind kind) => kind switch
    {
        MemoryActorKind.ApiKey => "api_key",
        MemoryActorKind.User => "user",
        MemoryActorKind.Session => "session",
        _ => "dream",
    };

    private sealed class SqliteMemoryWriter(SqliteConnection connection, SqliteTransaction transaction, string storeId) : IMemoryWriter
    {
        public async Task<MemoryStore?> GetStoreAsync(CancellationToken cancellationToken)
        {
            var rows = await Query(connection, transaction, "SELECT json FROM memory_stores WHERE id = $id", ReadMemoryStore, cancellationToken, ("$id", storeId));
            return rows.Count == 0 ? null : rows[0];
        }

        public Task<MemoryDocument?> GetAsync(string memoryId, CancellationToken cancellationToken) =>
            GetMemoryAsync(connection, transaction, storeId, memoryId, cancellationToken);

        public async Task<MemoryDocument?> FindOverlapAsync(string path, string? exceptId, CancellationToken cancellationToken)
        {
            // The same path, an ancestor (one of at most 19), or anything in the range below path + '/'.
            var ancestors = MemoryPaths.Ancestors(path).ToList();
            var names = string.Join(", ", ancestors.Select((_, i) => $"$a{i}"));
            var parameters = new List<(string, object?)> { ("$store", storeId), ("$path", path), ("$below", path + "/"), ("$upper", path + "0"), ("$except", exceptId) };
            parameters.AddRange(ancestors.Select((a, i) => ($"$a{i}", (object?)a)));
            // Two index lookups on (store_id, path): the path and its ancestors by equality, then the range below it.
            var rows = await Query(connection, transaction, $"""
                SELECT * FROM (
                    SELECT {MemoryColumnsWithoutContent} FROM memories
                    WHERE store_id = $store AND path IN ($path{(ancestors.Count == 0 ? "" : ", " + names)}) AND ($except IS NULL OR id <> $except)
                    LIMIT 1)
                UNION ALL
                SELECT * FROM (
                    SELECT {MemoryColumnsWithoutContent} FROM memories
                    WHERE store_id = $store AND path >= $below AND path < $upper AND ($except IS NULL OR id <> $except)
                    ORDER BY path LIMIT 1)
                LIMIT 1
                """, ReadMemory, cancellationToken, [.. parameters]);
            return rows.Count == 0 ? null : rows[0];
        }

        public Task<MemoryVersion?> GetVersionAsync(string versionId, CancellationToken cancellationToken) =>
            SqliteStore.GetVersionAsync(connection, transaction, storeId, versionId, cancellationToken);

        public async Task PutAsync(MemoryDocument memory, MemoryVersion version, CancellationToken cancellationToken)
        {
            await InsertVersionAsync(version, cancellationToken);
            await Execute(connection, $"""
                INSERT INTO memories ({MemoryColumns}) VALUES ($id, $store, $path, $content, $sha, $size, $version, $created, $updated)
                ON CONFLICT (id) DO UPDATE SET path = excluded.path, content = excluded.content, content_sha256 = excluded.content_sha256,
                    content_size = excluded.content_size, version_id = excluded.version_id, updated_at = excluded.updated_at
                """, cancellationToken, transaction,
                ("$id", memory.Id), ("$store", storeId), ("$path", memory.Path), ("$content", memory.Content ?? throw new ArgumentException("A memory is written with its content.", nameof(memory))),
                ("$sha", memory.ContentSha256), ("$size", memory.ContentSizeBytes), ("$version", memory.VersionId),
                ("$created", Time(memory.CreatedAt)), ("$updated", Time(memory.UpdatedAt)));
        }

        public async Task DeleteAsync(MemoryVersion version, CancellationToken cancellationToken)
        {
            await InsertVersionAsync(version, cancellationToken);
            await Execute(connection, "DELETE FROM memories WHERE id = $id AND store_id = $store", cancellationToken, transaction, ("$id", version.MemoryId), ("$store", storeId));
        }

        public Task RedactAsync(MemoryVersion version, CancellationToken cancellationToken) =>
            Execute(connection, "UPDATE memory_versions SET json = $json WHERE id = $id AND store_id = $store", cancellationToken, transaction,
                ("$id", version.Id), ("$store", storeId), ("$json", JsonSerializer.Serialize(version, LucidJsonContext.Default.MemoryVersion)));

        private Task<int> InsertVersionAsync(MemoryVersion version, CancellationToken cancellationToken) =>
            Execute(connection, """
                INSERT INTO memory_versions (id, store_id, memory_id, operation, actor_kind, actor_id, created_at, json)
                VALUES ($id, $store, $memory, $operation, $kind, $actor, $created, $json)
                """, cancellationToken, transaction,
                ("$id", version.Id), ("$store", storeId), ("$memory", version.MemoryId), ("$operation", Operation(version.Operation)),
                ("$kind", ActorKind(version.CreatedBy.Kind)), ("$actor", version.CreatedBy.Id), ("$created", Time(version.CreatedAt)),
                ("$json", JsonSerializer.Serialize(version, LucidJsonContext.Default.MemoryVersion)));
    }
}
