using System.Globalization;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Storage;
using Lucid.Validation;

namespace Lucid.Memory;

/// <summary>Creates, changes, archives and deletes memory stores, and finds things in a store of a workspace.</summary>
internal sealed class MemoryStores(IMemoryStorage storage, TimeProvider time, IdGenerator ids)
{
    public async Task<Result<MemoryStore>> CreateAsync(
        string workspaceId, string name, string? description, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        if ((CheckName(name) ?? CheckDescription(description) ?? Rules.Metadata(metadata)) is { } error)
        {
            return error;
        }

        var now = time.GetUtcNow();
        var store = new MemoryStore
        {
            Id = ids.NewId(IdPrefixes.MemoryStore),
            WorkspaceId = workspaceId,
            Name = name,
            Description = description ?? "",
            Metadata = metadata ?? new Dictionary<string, string>(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await storage.CreateMemoryStoreAsync(store, cancellationToken);
        return store;
    }

    public async Task<Result<MemoryStore>> GetAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var store = IdPrefixes.Has(id, IdPrefixes.MemoryStore) ? await storage.GetMemoryStoreAsync(id, cancellationToken) : null;
        return store is null || store.WorkspaceId != workspaceId ? LucidError.NotFound("Memory store", id) : store;
    }

    /// <summary>What <paramref name="read"/> finds in a store of the workspace; <paramref name="notFound"/> when it finds nothing.</summary>
    public async Task<Result<T>> ReadAsync<T>(
        string workspaceId, string storeId, Func<CancellationToken, Task<T?>> read, LucidError notFound, CancellationToken cancellationToken)
        where T : class
    {
        var store = await GetAsync(workspaceId, storeId, cancellationToken);
        if (!store.IsSuccess)
        {
            return store.Error;
        }

        return await read(cancellationToken) is { } found ? found : notFound;
    }

    public async Task<Result<MemoryStore>> UpdateAsync(
        string workspaceId, string id, string? name, string? description, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, id, cancellationToken);
        if (!current.IsSuccess)
        {
            return current;
        }

        if (current.Value.ArchivedAt is not null)
        {
            return LucidError.Conflict($"Memory store '{id}' is archived; it can no longer be changed.");
        }

        if (((name is null ? null : CheckName(name)) ?? CheckDescription(description) ?? Rules.Metadata(metadata)) is { } error)
        {
            return error;
        }

        var next = current.Value with
        {
            Name = name ?? current.Value.Name,
            Description = description ?? current.Value.Description,
            Metadata = metadata ?? current.Value.Metadata,
        };
        if (next.Name == current.Value.Name && next.Description == current.Value.Description && SameMap(next.Metadata, current.Value.Metadata))
        {
            return current.Value;
        }

        next = next with { UpdatedAt = time.GetUtcNow() };
        await storage.UpdateMemoryStoreAsync(next, cancellationToken);
        return next;
    }

    public async Task<Result<MemoryStore>> ArchiveAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, id, cancellationToken);
        if (!current.IsSuccess || current.Value.ArchivedAt is not null)
        {
            return current;
        }

        var now = time.GetUtcNow();
        var archived = current.Value with { ArchivedAt = now, UpdatedAt = now };
        await storage.UpdateMemoryStoreAsync(archived, cancellationToken);
        return archived;
    }

    public async Task<Result<string>> DeleteAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, id, cancellationToken);
        if (!current.IsSuccess)
        {
            return current.Error;
        }

        await storage.DeleteMemoryStoreAsync(id, cancellationToken);
        return id;
    }

    private static LucidError? CheckName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return LucidError.Invalid("name", "name is required and must not be blank.");
        }

        if (name.Length > MemoryService.MaxNameLength)
        {
            return LucidError.Invalid("name", string.Create(CultureInfo.InvariantCulture, $"name must be at most {MemoryService.MaxNameLength} characters; it has {name.Length}."));
        }

        return name.Any(char.IsControl) ? LucidError.Invalid("name", "name must not contain control characters.") : null;
    }

    private static LucidError? CheckDescription(string? description) =>
        description is { Length: > MemoryService.MaxDescriptionLength }
            ? LucidError.Invalid("description", string.Create(CultureInfo.InvariantCulture, $"description must be at most {MemoryService.MaxDescriptionLength:N0} characters; it has {description.Length:N0}."))
            : null;

    private static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);
}
