using System.Globalization;
using System.Text;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Storage;
using Lucid.Validation;

namespace Lucid.Memory;

/// <summary>
/// Memory stores and their memories: validation at the edge, and every change applied atomically with its version, so
/// the history is a clean chain and a precondition checked is a precondition held.
/// </summary>
public sealed class MemoryService
{
    /// <summary>The longest store name.</summary>
    public const int MaxNameLength = 255;

    /// <summary>The longest store description.</summary>
    public const int MaxDescriptionLength = 1024;

    /// <summary>The most items on a listing page that includes contents.</summary>
    public const int MaxFullPageSize = 20;

    private readonly IMemoryStorage _storage;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;

    /// <summary>Creates the service over a storage backend.</summary>
    public MemoryService(IMemoryStorage storage, TimeProvider? timeProvider = null, IdGenerator? ids = null)
    {
        _storage = storage;
        _time = timeProvider ?? TimeProvider.System;
        _ids = ids ?? IdGenerator.Random;
    }

    /// <summary>The storage backend.</summary>
    public IMemoryStorage Storage => _storage;

    // ---------- stores ----------

    /// <summary>Creates a store.</summary>
    public async Task<Result<MemoryStore>> CreateStoreAsync(
        string workspaceId, string name, string? description, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        if ((CheckName(name) ?? CheckDescription(description) ?? Rules.Metadata(metadata)) is { } error)
        {
            return error;
        }

        var now = _time.GetUtcNow();
        var store = new MemoryStore
        {
            Id = _ids.NewId(IdPrefixes.MemoryStore),
            WorkspaceId = workspaceId,
            Name = name,
            Description = description ?? "",
            Metadata = metadata ?? new Dictionary<string, string>(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await _storage.CreateMemoryStoreAsync(store, cancellationToken);
        return store;
    }

    /// <summary>A store of the workspace.</summary>
    public async Task<Result<MemoryStore>> GetStoreAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var store = IdPrefixes.Has(id, IdPrefixes.MemoryStore) ? await _storage.GetMemoryStoreAsync(id, cancellationToken) : null;
        return store is null || store.WorkspaceId != workspaceId ? LucidError.NotFound("Memory store", id) : store;
    }

    /// <summary>Changes a store's name, description or metadata (null keeps the current value).</summary>
    public async Task<Result<MemoryStore>> UpdateStoreAsync(
        string workspaceId, string id, string? name, string? description, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var current = await GetStoreAsync(workspaceId, id, cancellationToken);
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

        next = next with { UpdatedAt = _time.GetUtcNow() };
        await _storage.UpdateMemoryStoreAsync(next, cancellationToken);
        return next;
    }

    /// <summary>Archives a store: it stays readable but no longer changes or attaches to new sessions.</summary>
    public async Task<Result<MemoryStore>> ArchiveStoreAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var current = await GetStoreAsync(workspaceId, id, cancellationToken);
        if (!current.IsSuccess || current.Value.ArchivedAt is not null)
        {
            return current;
        }

        var now = _time.GetUtcNow();
        var archived = current.Value with { ArchivedAt = now, UpdatedAt = now };
        await _storage.UpdateMemoryStoreAsync(archived, cancellationToken);
        return archived;
    }

    /// <summary>Deletes a store with its memories and history.</summary>
    public async Task<Result<string>> DeleteStoreAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var current = await GetStoreAsync(workspaceId, id, cancellationToken);
        if (!current.IsSuccess)
        {
            return current.Error;
        }

        await _storage.DeleteMemoryStoreAsync(id, cancellationToken);
        return id;
    }

    // ---------- memories ----------

    /// <summary>Creates a memory at a free path.</summary>
    public async Task<Result<MemoryDocument>> CreateMemoryAsync(
        string workspaceId, string storeId, string path, string content, MemoryActor actor, CancellationToken cancellationToken)
    {
        if ((MemoryPaths.Validate(path) ?? MemoryPaths.ValidateContent(content)) is { } error)
        {
            return error;
        }

        return await WriteAsync<MemoryDocument>(workspaceId, storeId, forWrite: true, async (writer, store, ct) =>
        {
            if (await writer.FindOverlapAsync(path, null, ct) is { } other)
            {
                return PathConflict(path, other);
            }

            return await PutAsync(writer, storeId, null, path, content, actor, ct);
        }, cancellationToken);
    }

    /// <summary>
    /// Changes a memory's content, path (a rename), or both. With <paramref name="expectedSha256"/> the change applies
    /// only while the memory's content still has that hash, unless it already is exactly what is asked. A change that
    /// changes nothing adds no version.
    /// </summary>
    public async Task<Result<MemoryDocument>> UpdateMemoryAsync(
        string workspaceId, string storeId, string memoryId, string? content, string? path, string? expectedSha256, MemoryActor actor, CancellationToken cancellationToken)
    {
        if (((path is null ? null : MemoryPaths.Validate(path)) ?? (content is null ? null : MemoryPaths.ValidateContent(content)) ?? CheckSha(expectedSha256, "precondition.content_sha256")) is { } error)
        {
            return error;
        }

        return await WriteAsync<MemoryDocument>(workspaceId, storeId, forWrite: true, async (writer, store, ct) =>
        {
            var current = await writer.GetAsync(memoryId, ct);
            if (current is null)
            {
                return LucidError.NotFound("Memory", memoryId);
            }

            return await ChangeAsync(writer, current, content, path, expectedSha256, actor, ct);
        }, cancellationToken);
    }

    /// <summary>Writes the memory at a path: creates it, or replaces its content (the way the file tools and the CLI write).</summary>
    public async Task<Result<MemoryDocument>> WriteAtPathAsync(
        string workspaceId, string storeId, string path, string content, string? expectedSha256, MemoryActor actor, CancellationToken cancellationToken)
    {
        if ((MemoryPaths.Validate(path) ?? MemoryPaths.ValidateContent(content) ?? CheckSha(expectedSha256, "content_sha256")) is { } error)
        {
            return error;
        }

        return await WriteAsync<MemoryDocument>(workspaceId, storeId, forWrite: true, async (writer, store, ct) =>
        {
            var overlap = await writer.FindOverlapAsync(path, null, ct);
            if (overlap is not null && overlap.Path == path)
            {
                var current = await writer.GetAsync(overlap.Id, ct) ?? overlap;
                return await ChangeAsync(writer, current, content, null, expectedSha256, actor, ct);
            }

            if (overlap is not null)
            {
                return PathConflict(path, overlap);
            }

            if (expectedSha256 is not null)
            {
                return LucidError.PreconditionFailed($"No memory is at '{path}' any more; it was expected to have content_sha256 {expectedSha256}.");
            }

            return await PutAsync(writer, storeId, null, path, content, actor, ct);
        }, cancellationToken);
    }

    /// <summary>Deletes a memory; with <paramref name="expectedSha256"/> only while its content still has that hash.</summary>
    public async Task<Result<string>> DeleteMemoryAsync(
        string workspaceId, string storeId, string memoryId, string? expectedSha256, MemoryActor actor, CancellationToken cancellationToken)
    {
        if (CheckSha(expectedSha256, "expected_content_sha256") is { } error)
        {
            return error;
        }

        var deleted = await WriteAsync<MemoryDocument>(workspaceId, storeId, forWrite: false, async (writer, store, ct) =>
        {
            var current = await writer.GetAsync(memoryId, ct);
            if (current is null)
            {
                return LucidError.NotFound("Memory", memoryId);
            }

            if (expectedSha256 is not null && current.ContentSha256 != expectedSha256)
            {
                return StalePrecondition(current, expectedSha256);
            }

            await RemoveAsync(writer, current, actor, ct);
            return Result<MemoryDocument>.Ok(current);
        }, cancellationToken);
        return deleted.IsSuccess ? deleted.Value.Id : deleted.Error;
    }

    /// <summary>
    /// Applies a batch of edits all or nothing: when any edit's check fails (a stale hash, a taken path, a missing memory)
    /// nothing is written and the error names that edit. Returns the changed memories (null for deletions), in order.
    /// </summary>
    public async Task<Result<IReadOnlyList<MemoryDocument?>>> ApplyEditsAsync(
        string workspaceId, string storeId, IReadOnlyList<MemoryEdit> edits, MemoryActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edits);
        for (var i = 0; i < edits.Count; i++)
        {
            var edit = edits[i];
            var field = $"edits[{i}]";
            if ((MemoryPaths.Validate(edit.Path, $"{field}.path")
                ?? (edit.Kind == MemoryEditKind.Delete ? null : MemoryPaths.ValidateContent(edit.Content, $"{field}.content"))
                ?? CheckSha(edit.ExpectedSha256, $"{field}.expected_sha256")) is { } error)
            {
                return error;
            }
        }

        try
        {
            return await WriteAsync<IReadOnlyList<MemoryDocument?>>(workspaceId, storeId, forWrite: true, async (writer, store, ct) =>
            {
                var results = new List<MemoryDocument?>(edits.Count);
                for (var i = 0; i < edits.Count; i++)
                {
                    var result = await ApplyAsync(writer, storeId, edits[i], actor, ct);
                    if (!result.IsSuccess)
                    {
                        // Throwing rolls the whole unit of work back.
                        throw new EditFailedException(result.Error with { Message = $"Edit {i + 1} of {edits.Count} ({edits[i].Kind.ToString().ToLowerInvariant()} {edits[i].Path}): {result.Error.Message} Nothing was changed." });
                    }

                    results.Add(result.Value);
                }

                return results;
            }, cancellationToken);
        }
        catch (EditFailedException failed)
        {
            return failed.Error;
        }
    }

    private async Task<Result<MemoryDocument?>> ApplyAsync(IMemoryWriter writer, string storeId, MemoryEdit edit, MemoryActor actor, CancellationToken cancellationToken)
    {
        var overlap = await writer.FindOverlapAsync(edit.Path, null, cancellationToken);
        var current = overlap is not null && overlap.Path == edit.Path ? await writer.GetAsync(overlap.Id, cancellationToken) : null;
        switch (edit.Kind)
        {
            case MemoryEditKind.Create:
                if (overlap is not null)
                {
                    return PathConflict(edit.Path, overlap);
                }

                var created = await PutAsync(writer, storeId, null, edit.Path, edit.Content ?? "", actor, cancellationToken);
                return created.IsSuccess ? created.Value : created.Error;
            case MemoryEditKind.Update:
                if (current is null)
                {
                    return LucidError.PreconditionFailed($"No memory is at '{edit.Path}'.");
                }

                var updated = await ChangeAsync(writer, current, edit.Content ?? "", null, edit.ExpectedSha256, actor, cancellationToken);
                return updated.IsSuccess ? updated.Value : updated.Error;
            default:
                if (current is null)
                {
                    return LucidError.PreconditionFailed($"No memory is at '{edit.Path}'.");
                }

                if (edit.ExpectedSha256 is not null && current.ContentSha256 != edit.ExpectedSha256)
                {
                    return StalePrecondition(current, edit.ExpectedSha256);
                }

                await RemoveAsync(writer, current, actor, cancellationToken);
                return Result<MemoryDocument?>.Ok(null);
        }
    }

    /// <summary>A memory of a store.</summary>
    public async Task<Result<MemoryDocument>> GetMemoryAsync(string workspaceId, string storeId, string memoryId, CancellationToken cancellationToken)
    {
        var store = await GetStoreAsync(workspaceId, storeId, cancellationToken);
        if (!store.IsSuccess)
        {
            return store.Error;
        }

        var memory = await _storage.GetMemoryAsync(storeId, memoryId, cancellationToken);
        return memory is null ? LucidError.NotFound("Memory", memoryId) : memory;
    }

    /// <summary>The memory at a path of a store.</summary>
    public async Task<Result<MemoryDocument>> FindMemoryAsync(string workspaceId, string storeId, string path, CancellationToken cancellationToken)
    {
        var store = await GetStoreAsync(workspaceId, storeId, cancellationToken);
        if (!store.IsSuccess)
        {
            return store.Error;
        }

        var memory = await _storage.FindMemoryAsync(storeId, path, cancellationToken);
        return memory is null ? LucidError.NotFound("Memory at path", path) : memory;
    }

    /// <summary>
    /// Lists memories below a prefix in path order. With <paramref name="depth"/> &gt; 0, memories more than that many
    /// segments below the prefix are rolled up into one prefix item per directory at that depth.
    /// </summary>
    public async Task<Result<Page<MemoryListItem>>> ListMemoriesAsync(
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

        var store = await GetStoreAsync(workspaceId, storeId, cancellationToken);
        if (!store.IsSuccess)
        {
            return store.Error;
        }

        var limit = Math.Clamp(page.Limit, 1, includeContent ? MaxFullPageSize : 100);
        var (after, inclusive) = ListCursor.Decode(page.PageCursor);
        var items = new List<MemoryListItem>(limit + 1);
        while (items.Count <= limit)
        {
            // Rolled-up listings skip whole directories after one row, so they read in small batches.
            var want = depth > 0 ? Math.Min(limit + 1 - items.Count, 8) : limit + 1 - items.Count;
            var batch = await _storage.ScanMemoriesAsync(storeId, prefix, after, inclusive, want, includeContent, cancellationToken);
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

    /// <summary>Every memory below a prefix (default: the whole store), in path order, read a page at a time.</summary>
    public async Task<Result<IReadOnlyList<MemoryDocument>>> ReadAllAsync(
        string workspaceId, string storeId, string pathPrefix, bool includeContent, CancellationToken cancellationToken)
    {
        var all = new List<MemoryDocument>();
        string? cursor = null;
        do
        {
            var page = await ListMemoriesAsync(workspaceId, storeId, pathPrefix, 0, includeContent, new PageRequest(MaxFullPageSize, cursor), cancellationToken);
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

    // ---------- versions ----------

    /// <summary>A version of a store.</summary>
    public async Task<Result<MemoryVersion>> GetVersionAsync(string workspaceId, string storeId, string versionId, CancellationToken cancellationToken)
    {
        var store = await GetStoreAsync(workspaceId, storeId, cancellationToken);
        if (!store.IsSuccess)
        {
            return store.Error;
        }

        var version = await _storage.GetMemoryVersionAsync(storeId, versionId, cancellationToken);
        return version is null ? LucidError.NotFound("Memory version", versionId) : version;
    }

    /// <summary>A store's versions, newest first.</summary>
    public async Task<Result<Page<MemoryVersion>>> ListVersionsAsync(
        string workspaceId, string storeId, MemoryVersionQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var store = await GetStoreAsync(workspaceId, storeId, cancellationToken);
        if (!store.IsSuccess)
        {
            return store.Error;
        }

        var limit = Math.Clamp(page.Limit, 1, query.IncludeContent ? MaxFullPageSize : 100);
        return await _storage.ListMemoryVersionsAsync(storeId, query, page with { Limit = limit }, cancellationToken);
    }

    /// <summary>
    /// Blanks a version's content and path for good, recording who did it. The version holding a memory's current content
    /// cannot be redacted: change or delete the memory first.
    /// </summary>
    public async Task<Result<MemoryVersion>> RedactVersionAsync(
        string workspaceId, string storeId, string versionId, MemoryActor actor, CancellationToken cancellationToken)
    {
        var redacted = await WriteAsync<MemoryVersion>(workspaceId, storeId, forWrite: false, async (writer, store, ct) =>
        {
            var version = await writer.GetVersionAsync(versionId, ct);
            if (version is null)
            {
                return Result<MemoryVersion>.Fail(LucidError.NotFound("Memory version", versionId));
            }

            if (version.RedactedAt is not null)
            {
                return version;
            }

            if (await writer.GetAsync(version.MemoryId, ct) is { } live && live.VersionId == version.Id)
            {
                return LucidError.Conflict(
                    $"Version '{versionId}' holds the current content of memory '{live.Id}' ({live.Path}); update or delete the memory first, then redact this version.");
            }

            var next = version with
            {
                Path = null,
                Content = null,
                ContentSha256 = null,
                ContentSizeBytes = null,
                RedactedAt = _time.GetUtcNow(),
                RedactedBy = actor,
            };
            await writer.RedactAsync(next, ct);
            return next;
        }, cancellationToken);
        return redacted;
    }

    // ---------- helpers ----------

    private async Task<Result<T>> WriteAsync<T>(
        string workspaceId, string storeId, bool forWrite, Func<IMemoryWriter, MemoryStore, CancellationToken, Task<Result<T>>> work, CancellationToken cancellationToken)
    {
        if (!IdPrefixes.Has(storeId, IdPrefixes.MemoryStore))
        {
            return LucidError.NotFound("Memory store", storeId);
        }

        return await _storage.WriteMemoriesAsync(storeId, async (writer, ct) =>
        {
            var store = await writer.GetStoreAsync(ct);
            if (store is null || store.WorkspaceId != workspaceId)
            {
                return LucidError.NotFound("Memory store", storeId);
            }

            if (forWrite && store.ArchivedAt is not null)
            {
                return LucidError.Conflict($"Memory store '{store.Id}' ({store.Name}) is archived; its memories can be read and deleted but not created or changed.");
            }

            return await work(writer, store, ct);
        }, cancellationToken);
    }

    private async Task<Result<MemoryDocument>> ChangeAsync(
        IMemoryWriter writer, MemoryDocument current, string? content, string? path, string? expectedSha256, MemoryActor actor, CancellationToken cancellationToken)
    {
        var nextContent = content ?? current.Content ?? "";
        var nextPath = path ?? current.Path;
        var unchanged = nextContent == current.Content && nextPath == current.Path;
        if (unchanged)
        {
            // Already exactly as asked: succeeds whatever the precondition said, and adds no version.
            return current;
        }

        if (expectedSha256 is not null && current.ContentSha256 != expectedSha256)
        {
            return StalePrecondition(current, expectedSha256);
        }

        if (nextPath != current.Path && await writer.FindOverlapAsync(nextPath, current.Id, cancellationToken) is { } other)
        {
            return PathConflict(nextPath, other);
        }

        return await PutAsync(writer, current.StoreId, current, nextPath, nextContent, actor, cancellationToken);
    }

    private async Task<Result<MemoryDocument>> PutAsync(
        IMemoryWriter writer, string storeId, MemoryDocument? current, string path, string content, MemoryActor actor, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var sha = MemoryPaths.Sha256(content);
        var size = Encoding.UTF8.GetByteCount(content);
        var version = new MemoryVersion
        {
            Id = _ids.NewId(IdPrefixes.MemoryVersion),
            StoreId = storeId,
            MemoryId = current?.Id ?? _ids.NewId(IdPrefixes.Memory),
            Operation = current is null ? MemoryOperation.Created : MemoryOperation.Modified,
            Path = path,
            Content = content,
            ContentSha256 = sha,
            ContentSizeBytes = size,
            CreatedBy = actor,
            CreatedAt = now,
        };
        var memory = new MemoryDocument
        {
            Id = version.MemoryId,
            StoreId = storeId,
            Path = path,
            Content = content,
            ContentSha256 = sha,
            ContentSizeBytes = size,
            VersionId = version.Id,
            CreatedAt = current?.CreatedAt ?? now,
            UpdatedAt = now,
        };
        await writer.PutAsync(memory, version, cancellationToken);
        return memory;
    }

    private Task RemoveAsync(IMemoryWriter writer, MemoryDocument current, MemoryActor actor, CancellationToken cancellationToken) =>
        writer.DeleteAsync(
            new MemoryVersion
            {
                Id = _ids.NewId(IdPrefixes.MemoryVersion),
                StoreId = current.StoreId,
                MemoryId = current.Id,
                Operation = MemoryOperation.Deleted,
                Path = current.Path,
                CreatedBy = actor,
                CreatedAt = _time.GetUtcNow(),
            },
            cancellationToken);

    private static LucidError PathConflict(string path, MemoryDocument other) =>
        LucidError.PathConflict(
            other.Path == path
                ? $"The path '{path}' is already used by memory '{other.Id}'. Update that memory instead, or rename or delete it first."
                : $"The path '{path}' overlaps the path '{other.Path}' of memory '{other.Id}': one is a directory of the other. Rename or delete that memory first.",
            other.Path,
            other.Id);

    private static LucidError StalePrecondition(MemoryDocument current, string expected) =>
        LucidError.PreconditionFailed(
            $"Memory '{current.Id}' ({current.Path}) has changed: its content_sha256 is no longer {expected}. Retrieve it and retry.");

    private static LucidError? CheckName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return LucidError.Invalid("name", "name is required and must not be blank.");
        }

        if (name.Length > MaxNameLength)
        {
            return LucidError.Invalid("name", string.Create(CultureInfo.InvariantCulture, $"name must be at most {MaxNameLength} characters; it has {name.Length}."));
        }

        return name.Any(char.IsControl) ? LucidError.Invalid("name", "name must not contain control characters.") : null;
    }

    private static LucidError? CheckDescription(string? description) =>
        description is { Length: > MaxDescriptionLength }
            ? LucidError.Invalid("description", string.Create(CultureInfo.InvariantCulture, $"description must be at most {MaxDescriptionLength:N0} characters; it has {description.Length:N0}."))
            : null;

    private static LucidError? CheckSha(string? sha, string field) =>
        sha is null || (sha.Length == 64 && sha.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
            ? null
            : LucidError.Invalid(field, $"{field} must be 64 lowercase hexadecimal characters (a SHA-256 of the UTF-8 content).");

    private static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

    private sealed class EditFailedException(LucidError error) : Exception(error.Message)
    {
        public LucidError Error { get; } = error;
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
