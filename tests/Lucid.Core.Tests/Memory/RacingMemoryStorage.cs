using Lucid.Memory;
using Lucid.Storage;

namespace Lucid.Core.Tests.Memory;

/// <summary>
/// Memory storage that forwards to another, but first runs <see cref="BeforeNextWrite"/> when a unit of work is about to
/// start: another writer's change lands between what a service read and what it writes.
/// </summary>
internal sealed class RacingMemoryStorage(IMemoryStorage inner) : IMemoryStorage
{
    public Func<Task>? BeforeNextWrite { get; set; }

    public async Task<T> WriteMemoriesAsync<T>(string storeId, Func<IMemoryWriter, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (BeforeNextWrite is { } race)
        {
            BeforeNextWrite = null;
            await race();
        }

        return await inner.WriteMemoriesAsync(storeId, work, cancellationToken);
    }

    public Task CreateMemoryStoreAsync(MemoryStore store, CancellationToken cancellationToken) => inner.CreateMemoryStoreAsync(store, cancellationToken);

    public Task<bool> UpdateMemoryStoreAsync(MemoryStore store, CancellationToken cancellationToken) => inner.UpdateMemoryStoreAsync(store, cancellationToken);

    public Task<MemoryStore?> GetMemoryStoreAsync(string id, CancellationToken cancellationToken) => inner.GetMemoryStoreAsync(id, cancellationToken);

    public Task<Page<MemoryStore>> ListMemoryStoresAsync(string workspaceId, MemoryStoreQuery query, PageRequest page, CancellationToken cancellationToken) =>
        inner.ListMemoryStoresAsync(workspaceId, query, page, cancellationToken);

    public Task<bool> DeleteMemoryStoreAsync(string id, CancellationToken cancellationToken) => inner.DeleteMemoryStoreAsync(id, cancellationToken);

    public Task<MemoryDocument?> GetMemoryAsync(string storeId, string memoryId, CancellationToken cancellationToken) => inner.GetMemoryAsync(storeId, memoryId, cancellationToken);

    public Task<MemoryDocument?> FindMemoryAsync(string storeId, string path, CancellationToken cancellationToken) => inner.FindMemoryAsync(storeId, path, cancellationToken);

    public Task<IReadOnlyList<MemoryDocument>> ScanMemoriesAsync(
        string storeId, string prefix, string? after, bool afterInclusive, int limit, bool includeContent, CancellationToken cancellationToken) =>
        inner.ScanMemoriesAsync(storeId, prefix, after, afterInclusive, limit, includeContent, cancellationToken);

    public Task<(int Count, long Bytes)> MemoryTotalsAsync(string storeId, CancellationToken cancellationToken) => inner.MemoryTotalsAsync(storeId, cancellationToken);

    public Task<MemoryVersion?> GetMemoryVersionAsync(string storeId, string versionId, CancellationToken cancellationToken) =>
        inner.GetMemoryVersionAsync(storeId, versionId, cancellationToken);

    public Task<Page<MemoryVersion>> ListMemoryVersionsAsync(string storeId, MemoryVersionQuery query, PageRequest page, CancellationToken cancellationToken) =>
        inner.ListMemoryVersionsAsync(storeId, query, page, cancellationToken);
}
