using System.Text.Json;
using Lucid.Json;
using Lucid.Memory;
using Npgsql;
using static Lucid.Storage.Postgres.PostgresStore;
using static Lucid.Storage.Postgres.StoredValues;

namespace Lucid.Storage.Postgres;

/// <summary>The reads and writes of one memory batch, on the writer's connection inside the batch's transaction.</summary>
internal sealed class PostgresMemoryWriter(NpgsqlConnection connection, string storeId) : IMemoryWriter
{
    public Task<MemoryStore?> GetStoreAsync(CancellationToken cancellationToken) => GetMemoryStoreAsync(connection, storeId, cancellationToken);

    public Task<MemoryDocument?> GetAsync(string memoryId, CancellationToken cancellationToken) => GetMemoryAsync(connection, storeId, memoryId, cancellationToken);

    public Task<MemoryDocument?> FindOverlapAsync(string path, string? exceptId, CancellationToken cancellationToken)
    {
        // The same path, an ancestor (one of at most 19), or anything in the range below path + '/'.
        var ancestors = MemoryPaths.Ancestors(path).ToList();
        var names = string.Join(", ", ancestors.Select((_, i) => $"@a{i}"));
        var parameters = new List<(string, object?)> { ("@store", storeId), ("@path", path), ("@below", path + "/"), ("@upper", path + "0"), ("@except", exceptId) };
        parameters.AddRange(ancestors.Select((a, i) => ($"@a{i}", (object?)a)));
        // Two index lookups on (store_id, path): the path and its ancestors by equality, then the range below it.
        return connection.QuerySingleAsync($"""
            SELECT * FROM (
                SELECT {MemoryColumnsWithoutContent} FROM memories
                WHERE store_id = @store AND path IN (@path{(ancestors.Count == 0 ? "" : ", " + names)}) AND (@except::text IS NULL OR id <> @except)
                LIMIT 1) AS same_or_above
            UNION ALL
            SELECT * FROM (
                SELECT {MemoryColumnsWithoutContent} FROM memories
                WHERE store_id = @store AND path >= @below AND path < @upper AND (@except::text IS NULL OR id <> @except)
                ORDER BY path LIMIT 1) AS below
            LIMIT 1
            """, ReadMemory, cancellationToken, [.. parameters]);
    }

    public Task<MemoryVersion?> GetVersionAsync(string versionId, CancellationToken cancellationToken) =>
        GetMemoryVersionAsync(connection, storeId, versionId, cancellationToken);

    public async Task PutAsync(MemoryDocument memory, MemoryVersion version, CancellationToken cancellationToken)
    {
        await InsertVersionAsync(version, cancellationToken);
        await connection.ExecuteAsync($"""
            INSERT INTO memories ({MemoryColumns}) VALUES (@id, @store, @path, @content, @sha, @size, @version, @created, @updated)
            ON CONFLICT (id) DO UPDATE SET path = excluded.path, content = excluded.content, content_sha256 = excluded.content_sha256,
                content_size = excluded.content_size, version_id = excluded.version_id, updated_at = excluded.updated_at
            """, cancellationToken,
            ("@id", memory.Id), ("@store", storeId), ("@path", memory.Path), ("@content", memory.Content ?? throw new ArgumentException("A memory is written with its content.", nameof(memory))),
            ("@sha", memory.ContentSha256), ("@size", memory.ContentSizeBytes), ("@version", memory.VersionId),
            ("@created", Time(memory.CreatedAt)), ("@updated", Time(memory.UpdatedAt)));
    }

    public async Task DeleteAsync(MemoryVersion version, CancellationToken cancellationToken)
    {
        await InsertVersionAsync(version, cancellationToken);
        await connection.ExecuteAsync("DELETE FROM memories WHERE id = @id AND store_id = @store", cancellationToken, ("@id", version.MemoryId), ("@store", storeId));
    }

    public Task RedactAsync(MemoryVersion version, CancellationToken cancellationToken) =>
        connection.ExecuteAsync("UPDATE memory_versions SET json = @json WHERE id = @id AND store_id = @store", cancellationToken,
            ("@id", version.Id), ("@store", storeId), ("@json", JsonSerializer.Serialize(version, LucidJsonContext.Default.MemoryVersion)));

    private Task<int> InsertVersionAsync(MemoryVersion version, CancellationToken cancellationToken) =>
        connection.ExecuteAsync("""
            INSERT INTO memory_versions (id, store_id, memory_id, operation, actor_kind, actor_id, created_at, json)
            VALUES (@id, @store, @memory, @operation, @kind, @actor, @created, @json)
            """, cancellationToken,
            ("@id", version.Id), ("@store", storeId), ("@memory", version.MemoryId), ("@operation", Operation(version.Operation)),
            ("@kind", ActorKind(version.CreatedBy.Kind)), ("@actor", version.CreatedBy.Id), ("@created", Time(version.CreatedAt)),
            ("@json", JsonSerializer.Serialize(version, LucidJsonContext.Default.MemoryVersion)));
}
