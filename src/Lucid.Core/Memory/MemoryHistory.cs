using System.Runtime.CompilerServices;
using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Memory;

/// <summary>
/// A store's history as people work with it: the log of one memory followed by its path, what a version held and what
/// it changed, and putting a memory, or the whole store, back as it was at a version. A revert is new versions by its
/// actor; the history itself is never rewritten.
/// </summary>
public sealed class MemoryHistory
{
    private readonly IMemoryStorage _storage;
    private readonly MemoryStores _stores;
    private readonly MemoryVersions _versions;
    private readonly MemoryChanges _changes;

    internal MemoryHistory(IMemoryStorage storage, MemoryStores stores, MemoryVersions versions, MemoryChanges changes)
    {
        _storage = storage;
        _stores = stores;
        _versions = versions;
        _changes = changes;
    }

    /// <summary>
    /// A store's versions, newest first, without contents; with <paramref name="path"/>, only those of the memory at that
    /// path, or else of the one that last was there.
    /// </summary>
    public async Task<Result<Page<MemoryVersion>>> LogAsync(
        string workspaceId, string storeId, string? path, PageRequest page, CancellationToken cancellationToken)
    {
        var query = new MemoryVersionQuery { IncludeContent = false };
        if (path is not null)
        {
            var memoryId = await MemoryIdAtAsync(workspaceId, storeId, path, cancellationToken);
            if (!memoryId.IsSuccess)
            {
                return memoryId.Error;
            }

            query = query with { MemoryId = memoryId.Value };
        }

        return await _versions.ListAsync(workspaceId, storeId, query, page, cancellationToken);
    }

    /// <summary>The content a version recorded; a conflict when the version records a deletion or was redacted.</summary>
    public async Task<Result<string>> ContentAsync(string workspaceId, string storeId, string versionId, CancellationToken cancellationToken)
    {
        var version = await _versions.GetAsync(workspaceId, storeId, versionId, cancellationToken);
        if (!version.IsSuccess)
        {
            return version.Error;
        }

        return version.Value.Content is { } content ? content : NoContent(version.Value, "", "");
    }

    /// <summary>
    /// What a version changed: its content against <paramref name="otherVersionId"/>'s when given, otherwise against the
    /// memory's version before it (nothing, before a creation).
    /// </summary>
    public async Task<Result<MemoryVersionDiff>> DiffAsync(
        string workspaceId, string storeId, string versionId, string? otherVersionId, CancellationToken cancellationToken)
    {
        var version = await _versions.GetAsync(workspaceId, storeId, versionId, cancellationToken);
        if (!version.IsSuccess)
        {
            return version.Error;
        }

        if (otherVersionId is null)
        {
            return MemoryVersionDiff.Between(await PreviousAsync(storeId, version.Value, cancellationToken), version.Value);
        }

        var other = await _versions.GetAsync(workspaceId, storeId, otherVersionId, cancellationToken);
        return other.IsSuccess ? MemoryVersionDiff.Between(other.Value, version.Value) : other.Error;
    }

    /// <summary>
    /// Puts a memory back as it was at a version, content and path, as a new version by <paramref name="actor"/>; a memory
    /// deleted since is created again under a new ID. With <paramref name="expectedSha256"/>, only while the memory still
    /// has that content hash.
    /// </summary>
    public async Task<Result<MemoryRevert>> RevertMemoryAsync(
        string workspaceId, string storeId, string versionId, string? expectedSha256, MemoryActor actor, CancellationToken cancellationToken)
    {
        if (MemoryChanges.CheckSha(expectedSha256, "expected_content_sha256") is { } error)
        {
            return error;
        }

        return await _changes.RunAsync<MemoryRevert>(workspaceId, storeId, forWrite: true, async (writer, ct) =>
        {
            if (await writer.GetVersionAsync(versionId, ct) is not { } version)
            {
                return LucidError.NotFound("Memory version", versionId);
            }

            if (version is not { Content: { } content, Path: { } path })
            {
                return NoContent(version, " to go back to", "; revert the version before it");
            }

            var current = await writer.GetAsync(version.MemoryId, ct);
            if (current is null && expectedSha256 is not null)
            {
                return LucidError.PreconditionFailed($"Memory '{version.MemoryId}' has been deleted; it was expected to have content_sha256 {expectedSha256}.");
            }

            return await PutBackAsync(writer, storeId, current, version, content, path, expectedSha256, actor, ct);
        }, cancellationToken);
    }

    /// <summary>
    /// Puts every memory of a store back as it was just after <paramref name="versionId"/> was written, all or nothing, as
    /// new versions by <paramref name="actor"/>: memories changed since get their content and path back, memories deleted
    /// since are created again (under new IDs), memories created since are deleted. With
    /// <paramref name="expectedNewestVersionId"/>, only while that is still the store's newest version; a memory that
    /// changes while the revert runs refuses it too.
    /// </summary>
    public async Task<Result<IReadOnlyList<MemoryRevert>>> RevertStoreAsync(
        string workspaceId, string storeId, string versionId, string? expectedNewestVersionId, MemoryActor actor, CancellationToken cancellationToken)
    {
        var target = await _versions.GetAsync(workspaceId, storeId, versionId, cancellationToken);
        if (!target.IsSuccess)
        {
            return target.Error;
        }

        var since = new List<MemoryVersion>();
        await foreach (var version in NewestFirstAsync(storeId, new MemoryVersionQuery { IncludeContent = false }, cancellationToken))
        {
            if (version.Id == versionId)
            {
                break;
            }

            since.Add(version);
        }

        var newest = since.Count > 0 ? since[0].Id : versionId;
        if (expectedNewestVersionId is not null && expectedNewestVersionId != newest)
        {
            return LucidError.PreconditionFailed($"Memory store '{storeId}' has changed: its newest version is {newest}, not {expectedNewestVersionId}. Read its history again and retry.");
        }

        // Each memory changed since: its newest version (what it should still be) and its version at the target, if any.
        var sinceIds = since.Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
        var plan = new List<(MemoryVersion Newest, MemoryVersion? Then)>();
        foreach (var changed in since.GroupBy(v => v.MemoryId))
        {
            MemoryVersion? then = null;
            await foreach (var version in NewestFirstAsync(storeId, new MemoryVersionQuery { MemoryId = changed.Key }, cancellationToken))
            {
                if (!sinceIds.Contains(version.Id))
                {
                    then = version;
                    break;
                }
            }

            if (then is { Operation: not MemoryOperation.Deleted, Content: null })
            {
                return NoContent(then, " to go back to", "");
            }

            plan.Add((changed.First(), then?.Operation == MemoryOperation.Deleted ? null : then));
        }

        return await _changes.RunAsync<IReadOnlyList<MemoryRevert>>(workspaceId, storeId, forWrite: true, async (writer, ct) =>
        {
            var reverts = new List<MemoryRevert>(plan.Count);

            // Deletions first, so that the paths they free are there for the memories that come back.
            foreach (var (newestOfMemory, then) in plan.OrderBy(p => p.Then is not null))
            {
                var current = await writer.GetAsync(newestOfMemory.MemoryId, ct);
                if (current?.VersionId != (newestOfMemory.Operation == MemoryOperation.Deleted ? null : newestOfMemory.Id))
                {
                    return LucidError.PreconditionFailed($"Memory '{newestOfMemory.MemoryId}' changed while the store was being reverted; nothing was changed. Retry.");
                }

                if (then is { Content: { } content, Path: { } path })
                {
                    var putBack = await PutBackAsync(writer, storeId, current, then, content, path, null, actor, ct);
                    if (!putBack.IsSuccess)
                    {
                        return putBack.Error;
                    }

                    reverts.Add(putBack.Value);
                }
                else if (current is not null)
                {
                    await _changes.RemoveAsync(writer, current, null, actor, ct);
                    reverts.Add(new MemoryRevert(current.Id, null, null));
                }
            }

            return reverts;
        }, cancellationToken);
    }

    // Sets a memory (or, deleted, a new one) to what a version held.
    private async Task<Result<MemoryRevert>> PutBackAsync(
        IMemoryWriter writer, string storeId, MemoryDocument? current, MemoryVersion version, string content, string path, string? expectedSha256, MemoryActor actor, CancellationToken cancellationToken)
    {
        var memory = current is null
            ? await _changes.CreateAsync(writer, storeId, path, content, actor, cancellationToken)
            : await _changes.ChangeAsync(writer, current, content, path, expectedSha256, actor, cancellationToken);
        return memory.IsSuccess ? new MemoryRevert(version.MemoryId, version, memory.Value) : memory.Error;
    }

    private async Task<Result<string>> MemoryIdAtAsync(string workspaceId, string storeId, string path, CancellationToken cancellationToken)
    {
        var store = await _stores.GetAsync(workspaceId, storeId, cancellationToken);
        if (!store.IsSuccess)
        {
            return store.Error;
        }

        if (await _storage.FindMemoryAsync(storeId, path, cancellationToken) is { } current)
        {
            return current.Id;
        }

        await foreach (var version in NewestFirstAsync(storeId, new MemoryVersionQuery { IncludeContent = false }, cancellationToken))
        {
            if (version.Path == path)
            {
                return version.MemoryId;
            }
        }

        return new LucidError(ErrorKind.NotFound, $"no memory is or was at {path}.");
    }

    private async Task<MemoryVersion?> PreviousAsync(string storeId, MemoryVersion version, CancellationToken cancellationToken)
    {
        var seen = false;
        await foreach (var v in NewestFirstAsync(storeId, new MemoryVersionQuery { MemoryId = version.MemoryId }, cancellationToken))
        {
            if (seen)
            {
                return v;
            }

            seen = v.Id == version.Id;
        }

        return null;
    }

    // A store's versions, newest first, page after page; the caller has checked the store is the workspace's.
    private async IAsyncEnumerable<MemoryVersion> NewestFirstAsync(string storeId, MemoryVersionQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await _storage.ListMemoryVersionsAsync(storeId, query, new PageRequest(query.IncludeContent ? MemoryService.MaxFullPageSize : 100, cursor), cancellationToken);
            foreach (var version in page.Items)
            {
                yield return version;
            }

            cursor = page.NextPage;
        }
        while (cursor is not null);
    }

    private static LucidError NoContent(MemoryVersion version, string purpose, string afterDeletion) =>
        LucidError.Conflict($"version {version.Id} has no content{purpose} ({(version.RedactedAt is null ? "it records a deletion" + afterDeletion : "it was redacted")}).");
}
