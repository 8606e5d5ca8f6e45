using System.Globalization;
using Lucid.Memory;
using Lucid.Storage;
using Lucid.Webhooks;

namespace Lucid.Testing.Storage;

public sealed partial class InMemoryStore
{
    private readonly Dictionary<string, MemoryStore> _memoryStores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MemoryDocument> _memories = new(StringComparer.Ordinal);
    private readonly List<MemoryVersion> _versions = [];
    private readonly SemaphoreSlim _memoryWriter = new(1, 1);

    public Task CreateMemoryStoreAsync(MemoryStore store, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _memoryStores.Add(store.Id, store);
            RecordWebhooks([WebhookTriggers.OfNewMemoryStore(store)]);
        }

        return Task.CompletedTask;
    }

    public Task<bool> UpdateMemoryStoreAsync(MemoryStore store, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_memoryStores.TryGetValue(store.Id, out var current))
            {
                return Task.FromResult(false);
            }

            _memoryStores[store.Id] = store;
            RecordWebhooks(WebhookTriggers.OfMemoryStoreChange(current, store));
            return Task.FromResult(true);
        }
    }

    public Task<MemoryStore?> GetMemoryStoreAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_memoryStores.GetValueOrDefault(id));
        }
    }

    public Task<Page<MemoryStore>> ListMemoryStoresAsync(string workspaceId, MemoryStoreQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var stores = _memoryStores.Values
                .Where(s => s.WorkspaceId == workspaceId && (query.IncludeArchived || s.ArchivedAt is null))
                .Where(s => (query.CreatedAtOrAfter is not { } a || s.CreatedAt >= a) && (query.CreatedAtOrBefore is not { } b || s.CreatedAt <= b))
                .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(Paginate(stores, page));
        }
    }

    public Task<bool> DeleteMemoryStoreAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var memory in _memories.Values.Where(m => m.StoreId == id).ToList())
            {
                _memories.Remove(memory.Id);
            }

            _versions.RemoveAll(v => v.StoreId == id);
            if (_memoryStores.Remove(id, out var store))
            {
                RecordWebhooks([WebhookTriggers.OfDeletedMemoryStore(store, Clock.GetUtcNow())]);
                return Task.FromResult(true);
            }

            return Task.FromResult(false);
        }
    }

    public Task<MemoryDocument?> GetMemoryAsync(string storeId, string memoryId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_memories.TryGetValue(memoryId, out var m) && m.StoreId == storeId ? m : null);
        }
    }

    public Task<MemoryDocument?> FindMemoryAsync(string storeId, string path, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_memories.Values.FirstOrDefault(m => m.StoreId == storeId && m.Path == path));
        }
    }

    public Task<IReadOnlyList<MemoryDocument>> ScanMemoriesAsync(
        string storeId, string prefix, string? after, bool afterInclusive, int limit, bool includeContent, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var list = _memories.Values
                .Where(m => m.StoreId == storeId && m.Path.StartsWith(prefix, StringComparison.Ordinal))
                .Where(m => after is null || MemoryPaths.CompareUtf8(m.Path, after) is var c && (c > 0 || (afterInclusive && c == 0)))
                .Order(Comparer<MemoryDocument>.Create((a, b) => MemoryPaths.CompareUtf8(a.Path, b.Path)))
                .Take(limit)
                .Select(m => includeContent ? m : m with { Content = null })
                .ToList();
            return Task.FromResult<IReadOnlyList<MemoryDocument>>(list);
        }
    }

    public Task<(int Count, long Bytes)> MemoryTotalsAsync(string storeId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var memories = _memories.Values.Where(m => m.StoreId == storeId).ToList();
            return Task.FromResult((memories.Count, memories.Sum(m => (long)m.ContentSizeBytes)));
        }
    }

    public Task<MemoryVersion?> GetMemoryVersionAsync(string storeId, string versionId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_versions.FirstOrDefault(v => v.Id == versionId && v.StoreId == storeId));
        }
    }

    public Task<Page<MemoryVersion>> ListMemoryVersionsAsync(string storeId, MemoryVersionQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var before = page.PageCursor is null ? _versions.Count
                : int.TryParse(page.PageCursor, NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c
                : throw new ArgumentException($"'{page.PageCursor}' is not a page cursor of this store.", nameof(page));
            var limit = Math.Clamp(page.Limit, 1, 1000);
            var items = new List<MemoryVersion>();
            var i = Math.Min(before, _versions.Count) - 1;
            for (; i >= 0 && items.Count < limit; i--)
            {
                var v = _versions[i];
                if (v.StoreId == storeId && query.Matches(v))
                {
                    items.Add(query.IncludeContent ? v : v with { Content = null });
                }
            }

            var more = _versions.Take(i + 1).Any(v => v.StoreId == storeId && query.Matches(v));
            return Task.FromResult(new Page<MemoryVersion>(items, more ? (i + 1).ToString(CultureInfo.InvariantCulture) : null));
        }
    }

    public async Task<T> WriteMemoriesAsync<T>(string storeId, Func<IMemoryWriter, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _memoryWriter.WaitAsync(cancellationToken);
        try
        {
            var writer = new MemoryWriter(this, storeId);
            var result = await work(writer, cancellationToken);
            writer.Commit();
            return result;
        }
        finally
        {
            _memoryWriter.Release();
        }
    }

    // Buffers writes and applies them on commit, so a failed unit of work leaves nothing behind.
    private sealed class MemoryWriter(InMemoryStore owner, string storeId) : IMemoryWriter
    {
        private readonly List<Action> _pending = [];
        private readonly Dictionary<string, MemoryDocument?> _changed = new(StringComparer.Ordinal);
        private readonly Dictionary<string, MemoryVersion> _redacted = new(StringComparer.Ordinal);

        public Task<MemoryStore?> GetStoreAsync(CancellationToken cancellationToken) => owner.GetMemoryStoreAsync(storeId, cancellationToken);

        public async Task<MemoryDocument?> GetAsync(string memoryId, CancellationToken cancellationToken) =>
            _changed.TryGetValue(memoryId, out var m) ? m : await owner.GetMemoryAsync(storeId, memoryId, cancellationToken);

        public Task<MemoryDocument?> FindOverlapAsync(string path, string? exceptId, CancellationToken cancellationToken)
        {
            lock (owner._lock)
            {
                var all = owner._memories.Values.Where(m => m.StoreId == storeId && !_changed.ContainsKey(m.Id))
                    .Concat(_changed.Values.OfType<MemoryDocument>());
                return Task.FromResult(all.FirstOrDefault(m => m.Id != exceptId && MemoryPaths.Overlaps(m.Path, path)));
            }
        }

        public async Task<MemoryVersion?> GetVersionAsync(string versionId, CancellationToken cancellationToken) =>
            _redacted.TryGetValue(versionId, out var v) ? v : await owner.GetMemoryVersionAsync(storeId, versionId, cancellationToken);

        public Task PutAsync(MemoryDocument memory, MemoryVersion version, CancellationToken cancellationToken)
        {
            _changed[memory.Id] = memory;
            _pending.Add(() =>
            {
                owner._memories[memory.Id] = memory;
                owner._versions.Add(version);
            });
            return Task.CompletedTask;
        }

        public Task DeleteAsync(MemoryVersion version, CancellationToken cancellationToken)
        {
            _changed[version.MemoryId] = null;
            _pending.Add(() =>
            {
                owner._memories.Remove(version.MemoryId);
                owner._versions.Add(version);
            });
            return Task.CompletedTask;
        }

        public Task RedactAsync(MemoryVersion version, CancellationToken cancellationToken)
        {
            _redacted[version.Id] = version;
            _pending.Add(() => owner._versions[owner._versions.FindIndex(v => v.Id == version.Id)] = version);
            return Task.CompletedTask;
        }

        public void Commit()
        {
            lock (owner._lock)
            {
                foreach (var apply in _pending)
                {
                    apply();
                }
            }
        }
    }
}
