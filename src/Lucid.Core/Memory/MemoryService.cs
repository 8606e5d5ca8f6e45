using Lucid.Ids;
using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Memory;

/// <summary>
/// Memory stores and their memories: validation at the edge, and every change applied atomically with its version, so
/// the history is a clean chain and a precondition checked is a precondition held. The one entry point hosts build;
/// each job (stores, single writes, edit batches, reads, versions, <see cref="History"/>) is done by its own part.
/// </summary>
public sealed class MemoryService
{
    /// <summary>The longest store name.</summary>
    public const int MaxNameLength = 255;

    /// <summary>The longest store description.</summary>
    public const int MaxDescriptionLength = 1024;

    /// <summary>The most items on a listing page that includes contents.</summary>
    public const int MaxFullPageSize = 20;

    private readonly MemoryStores _stores;
    private readonly MemoryWrites _writes;
    private readonly MemoryEditBatch _edits;
    private readonly MemoryReads _reads;
    private readonly MemoryVersions _versions;

    /// <summary>Creates the service over a storage backend.</summary>
    public MemoryService(IMemoryStorage storage, TimeProvider? timeProvider = null, IdGenerator? ids = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        ids ??= IdGenerator.Random;
        var changes = new MemoryChanges(storage, time, ids);
        Storage = storage;
        _stores = new MemoryStores(storage, time, ids);
        _writes = new MemoryWrites(changes);
        _edits = new MemoryEditBatch(changes);
        _reads = new MemoryReads(storage, _stores);
        _versions = new MemoryVersions(storage, _stores, changes, time);
        History = new MemoryHistory(storage, _stores, _versions, changes);
    }

    /// <summary>The storage backend.</summary>
    public IMemoryStorage Storage { get; }

    /// <summary>The stores' histories: logs by path, diffs, and reverts of a memory or a whole store.</summary>
    public MemoryHistory History { get; }

    /// <summary>Creates a store.</summary>
    public Task<Result<MemoryStore>> CreateStoreAsync(
        string workspaceId, string name, string? description, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken) =>
        _stores.CreateAsync(workspaceId, name, description, metadata, cancellationToken);

    /// <summary>A store of the workspace.</summary>
    public Task<Result<MemoryStore>> GetStoreAsync(string workspaceId, string id, CancellationToken cancellationToken) =>
        _stores.GetAsync(workspaceId, id, cancellationToken);

    /// <summary>Changes a store's name, description or metadata (null keeps the current value).</summary>
    public Task<Result<MemoryStore>> UpdateStoreAsync(
        string workspaceId, string id, string? name, string? description, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken) =>
        _stores.UpdateAsync(workspaceId, id, name, description, metadata, cancellationToken);

    /// <summary>Archives a store: it stays readable but no longer changes or attaches to new sessions.</summary>
    public Task<Result<MemoryStore>> ArchiveStoreAsync(string workspaceId, string id, CancellationToken cancellationToken) =>
        _stores.ArchiveAsync(workspaceId, id, cancellationToken);

    /// <summary>Deletes a store with its memories and history.</summary>
    public Task<Result<string>> DeleteStoreAsync(string workspaceId, string id, CancellationToken cancellationToken) =>
        _stores.DeleteAsync(workspaceId, id, cancellationToken);

    /// <summary>Creates a memory at a free path.</summary>
    public Task<Result<MemoryDocument>> CreateMemoryAsync(
        string workspaceId, string storeId, string path, string content, MemoryActor actor, CancellationToken cancellationToken) =>
        _writes.CreateAsync(workspaceId, storeId, path, content, actor, cancellationToken);

    /// <summary>
    /// Changes a memory's content, path (a rename), or both. With <paramref name="expectedSha256"/> the change applies
    /// only while the memory's content still has that hash, unless it already is exactly what is asked. A change that
    /// changes nothing adds no version.
    /// </summary>
    public Task<Result<MemoryDocument>> UpdateMemoryAsync(
        string workspaceId, string storeId, string memoryId, string? content, string? path, string? expectedSha256, MemoryActor actor, CancellationToken cancellationToken) =>
        _writes.UpdateAsync(workspaceId, storeId, memoryId, content, path, expectedSha256, actor, cancellationToken);

    /// <summary>Writes the memory at a path: creates it, or replaces its content (the way the file tools and the CLI write).</summary>
    public Task<Result<MemoryDocument>> WriteAtPathAsync(
        string workspaceId, string storeId, string path, string content, string? expectedSha256, MemoryActor actor, CancellationToken cancellationToken) =>
        _writes.WriteAtPathAsync(workspaceId, storeId, path, content, expectedSha256, actor, cancellationToken);

    /// <summary>Deletes a memory; with <paramref name="expectedSha256"/> only while its content still has that hash.</summary>
    public Task<Result<string>> DeleteMemoryAsync(
        string workspaceId, string storeId, string memoryId, string? expectedSha256, MemoryActor actor, CancellationToken cancellationToken) =>
        _writes.DeleteAsync(workspaceId, storeId, memoryId, expectedSha256, actor, cancellationToken);

    /// <summary>
    /// Applies a batch of edits all or nothing: when any edit's check fails (a stale hash, a taken path, a missing memory)
    /// nothing is written and the error names that edit. Returns the changed memories (null for deletions), in order.
    /// </summary>
    public Task<Result<IReadOnlyList<MemoryDocument?>>> ApplyEditsAsync(
        string workspaceId, string storeId, IReadOnlyList<MemoryEdit> edits, MemoryActor actor, CancellationToken cancellationToken) =>
        _edits.ApplyAsync(workspaceId, storeId, edits, actor, cancellationToken);

    /// <summary>A memory of a store.</summary>
    public Task<Result<MemoryDocument>> GetMemoryAsync(string workspaceId, string storeId, string memoryId, CancellationToken cancellationToken) =>
        _reads.GetAsync(workspaceId, storeId, memoryId, cancellationToken);

    /// <summary>The memory at a path of a store.</summary>
    public Task<Result<MemoryDocument>> FindMemoryAsync(string workspaceId, string storeId, string path, CancellationToken cancellationToken) =>
        _reads.FindAsync(workspaceId, storeId, path, cancellationToken);

    /// <summary>
    /// Lists memories below a prefix in path order. With <paramref name="depth"/> &gt; 0, memories more than that many
    /// segments below the prefix are rolled up into one prefix item per directory at that depth.
    /// </summary>
    public Task<Result<Page<MemoryListItem>>> ListMemoriesAsync(
        string workspaceId, string storeId, string? pathPrefix, int depth, bool includeContent, PageRequest page, CancellationToken cancellationToken) =>
        _reads.ListAsync(workspaceId, storeId, pathPrefix, depth, includeContent, page, cancellationToken);

    /// <summary>Every memory below a prefix (default: the whole store), in path order, read a page at a time.</summary>
    public Task<Result<IReadOnlyList<MemoryDocument>>> ReadAllAsync(
        string workspaceId, string storeId, string pathPrefix, bool includeContent, CancellationToken cancellationToken) =>
        _reads.ReadAllAsync(workspaceId, storeId, pathPrefix, includeContent, cancellationToken);

    /// <summary>A version of a store.</summary>
    public Task<Result<MemoryVersion>> GetVersionAsync(string workspaceId, string storeId, string versionId, CancellationToken cancellationToken) =>
        _versions.GetAsync(workspaceId, storeId, versionId, cancellationToken);

    /// <summary>A store's versions, newest first.</summary>
    public Task<Result<Page<MemoryVersion>>> ListVersionsAsync(
        string workspaceId, string storeId, MemoryVersionQuery query, PageRequest page, CancellationToken cancellationToken) =>
        _versions.ListAsync(workspaceId, storeId, query, page, cancellationToken);

    /// <summary>
    /// Blanks a version's content and path for good, recording who did it. The version holding a memory's current content
    /// cannot be redacted: change or delete the memory first.
    /// </summary>
    public Task<Result<MemoryVersion>> RedactVersionAsync(
        string workspaceId, string storeId, string versionId, MemoryActor actor, CancellationToken cancellationToken) =>
        _versions.RedactAsync(workspaceId, storeId, versionId, actor, cancellationToken);
}
