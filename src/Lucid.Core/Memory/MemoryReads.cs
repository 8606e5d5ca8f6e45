using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Memory;

/// <summary>Reads memories: one by ID or path, listings in path order (rolled up by directory or not), and whole stores.</summary>
internal sealed class MemoryReads(IMemoryStorage storage, MemoryStores stores)
{
    public Task<Result<MemoryDocument>> GetAsync(string workspaceId, string storeId, string memoryId, CancellationToken cancellationToken) =>
        stores.ReadAsync(workspaceId, storeId, ct => storage.GetMemoryAsync(storeId, memoryId, ct), LucidError.NotFound("Memory", memoryId), cancellationToken);

    public Task<Result<MemoryDocument>> FindAsync(string workspaceId, string storeId, string path, CancellationToken cancellationToken) =>
        stores.ReadAsync(workspaceId, storeId, ct => storage.FindMemoryAsync(storeId, path, ct), LucidError.NotFound("Memory at path", path), cancellationToken);

    public async Task<Result<Page<MemoryListItem>>> ListAsync(
        string workspaceId, string storeId, string? pathPrefix, int depth, bool includeContent, PageRequest page, CancellationToken cancellationToken)
    {
        var prefix = pathPrefix ?? "/";
        if (MemoryPaths.ValidatePrefix(prefix) is { } error)
        {
            return error;
        }

        if (depth < 0)
        {
            return LucidError.Invalid("depth", "depth must be 0 (everything below the prefix) or more.");
        }

        var store = await stores.GetAsync(workspaceId, storeId, cancellationToken);
        if (!store.IsSuccess)
        {
            return store.Error;
        }

        var limit = Math.Clamp(page.Limit, 1, includeContent ? MemoryService.MaxFullPageSize : 100);
        var (after, inclusive) = ListCursor.Decode(page.PageCursor);
        var items = new List<MemoryListItem>(limit + 1);
        while (items.Count <= limit)
        {
            // Rolled-up listings skip whole directories after one row, so they read in small batches.
            var want = depth > 0 ? Math.Min(limit + 1 - items.Count, 8) : limit + 1 - items.Count;
            var batch = await storage.ScanMemoriesAsync(storeId, prefix, after, inclusive, want, includeContent, cancellationToken);
            var rolledUp = false;
            foreach (var memory in batch)
            {
                if (depth > 0 && RollUp(prefix, memory.Path, depth) is { } marker)
                {
                    items.Add(new MemoryListItem(null, marker));
                    (after, inclusive) = (ListCursor.PastPrefix(marker), true);
                    rolledUp = true;
                    break;
                }

                items.Add(new MemoryListItem(memory, null));
                (after, inclusive) = (memory.Path, false);
            }

            if (!rolledUp && batch.Count < want)
            {
                break;
            }
        }

        return items.Count > limit
            ? new Page<MemoryListItem>(items[..limit], ListCursor.Encode(items[limit - 1]))
            : new Page<MemoryListItem>(items, null);
    }

    public async Task<Result<IReadOnlyList<MemoryDocument>>> ReadAllAsync(
        string workspaceId, string storeId, string pathPrefix, bool includeContent, CancellationToken cancellationToken)
    {
        var all = new List<MemoryDocument>();
        string? cursor = null;
        do
        {
            var page = await ListAsync(workspaceId, storeId, pathPrefix, 0, includeContent, new PageRequest(MemoryService.MaxFullPageSize, cursor), cancellationToken);
            if (!page.IsSuccess)
            {
                return page.Error;
            }

            all.AddRange(page.Value.Items.Select(i => i.Memory).OfType<MemoryDocument>());
            cursor = page.Value.NextPage;
        }
        while (cursor is not null);
        return all;
    }

    // The directory at `depth` segments below the prefix that holds `path`, or null when the path is not deeper than that.
    private static string? RollUp(string prefix, string path, int depth)
    {
        var end = prefix.Length - 1;
        for (var i = 0; i < depth; i++)
        {
            end = path.IndexOf('/', end + 1);
            if (end < 0)
            {
                return null;
            }
        }

        return path[..(end + 1)];
    }
}
