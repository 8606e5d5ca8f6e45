using Lucid.Memory;

namespace Lucid.Storage;

/// <summary>Where memory stores, their memories and their version history are kept.</summary>
public interface IMemoryStorage
{
    /// <summary>Stores a new memory store.</summary>
    Task CreateMemoryStoreAsync(MemoryStore store, CancellationToken cancellationToken);

    /// <summary>Replaces a memory store's record; false when it does not exist.</summary>
    Task<bool> UpdateMemoryStoreAsync(MemoryStore store, CancellationToken cancellationToken);

    /// <summary>A memory store by ID, or null.</summary>
    Task<MemoryStore?> GetMemoryStoreAsync(string id, CancellationToken cancellationToken);

    /// <summary>A workspace's memory stores, newest first.</summary>
    Task<Page<MemoryStore>> ListMemoryStoresAsync(string workspaceId, MemoryStoreQuery query, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Deletes a memory store with all its memories and versions; false when it did not exist.</summary>
    Task<bool> DeleteMemoryStoreAsync(string id, CancellationToken cancellationToken);

    /// <summary>A memory by ID, or null.</summary>
    Task<MemoryDocument?> GetMemoryAsync(string storeId, string memoryId, CancellationToken cancellationToken);

    /// <summary>The memory at a path, or null.</summary>
    Task<MemoryDocument?> FindMemoryAsync(string storeId, string path, CancellationToken cancellationToken);

    /// <summary>
    /// Memories whose paths start with <paramref name="prefix"/> and come after <paramref name="after"/> (inclusive when
    /// <paramref name="afterInclusive"/>), in the order of their paths' UTF-8 bytes, at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<MemoryDocument>> ScanMemoriesAsync(
        string storeId, string prefix, string? after, bool afterInclusive, int limit, bool includeContent, CancellationToken cancellationToken);

    /// <summary>How many memories a store holds and their total content size.</summary>
    Task<(int Count, long Bytes)> MemoryTotalsAsync(string storeId, CancellationToken cancellationToken);

    /// <summary>A version by ID, or null.</summary>
    Task<MemoryVersion?> GetMemoryVersionAsync(string storeId, string versionId, CancellationToken cancellationToken);

    /// <summary>A store's versions, newest first.</summary>
    Task<Page<MemoryVersion>> ListMemoryVersionsAsync(string storeId, MemoryVersionQuery query, PageRequest page, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> as one atomic write to a store's memories: every read it makes sees the state its
    /// writes apply to, and no other write interleaves. Nothing is written when it throws.
    /// </summary>
    Task<T> WriteMemoriesAsync<T>(string storeId, Func<IMemoryWriter, CancellationToken, Task<T>> work, CancellationToken cancellationToken);
}
