using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Memory;

/// <summary>Reads a store's version history, and redacts versions.</summary>
internal sealed class MemoryVersions(IMemoryStorage storage, MemoryStores stores, MemoryChanges changes, TimeProvider time)
{
    public Task<Result<MemoryVersion>> GetAsync(string workspaceId, string storeId, string versionId, CancellationToken cancellationToken) =>
        stores.ReadAsync(workspaceId, storeId, ct => storage.GetMemoryVersionAsync(storeId, versionId, ct), LucidError.NotFound("Memory version", versionId), cancellationToken);

    public async Task<Result<Page<MemoryVersion>>> ListAsync(
        string workspaceId, string storeId, MemoryVersionQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var store = await stores.GetAsync(workspaceId, storeId, cancellationToken);
        if (!store.IsSuccess)
        {
            return store.Error;
        }

        var limit = Math.Clamp(page.Limit, 1, query.IncludeContent ? MemoryService.MaxFullPageSize : 100);
        return await storage.ListMemoryVersionsAsync(storeId, query, page with { Limit = limit }, cancellationToken);
    }

    public Task<Result<MemoryVersion>> RedactAsync(string workspaceId, string storeId, string versionId, MemoryActor actor, CancellationToken cancellationToken) =>
        changes.RunAsync<MemoryVersion>(workspaceId, storeId, forWrite: false, async (writer, ct) =>
        {
            var version = await writer.GetVersionAsync(versionId, ct);
            if (version is null)
            {
                return LucidError.NotFound("Memory version", versionId);
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
                RedactedAt = time.GetUtcNow(),
                RedactedBy = actor,
            };
            await writer.RedactAsync(next, ct);
            return next;
        }, cancellationToken);
}
