using Lucid.Results;

namespace Lucid.Memory;

/// <summary>Creates, changes and deletes single memories, each change checked and applied atomically with its version.</summary>
internal sealed class MemoryWrites(MemoryChanges changes)
{
    public async Task<Result<MemoryDocument>> CreateAsync(
        string workspaceId, string storeId, string path, string content, MemoryActor actor, CancellationToken cancellationToken)
    {
        if ((MemoryPaths.Validate(path) ?? MemoryPaths.ValidateContent(content)) is { } error)
        {
            return error;
        }

        return await changes.RunAsync(workspaceId, storeId, forWrite: true, (writer, ct) => changes.CreateAsync(writer, storeId, path, content, actor, ct), cancellationToken);
    }

    public async Task<Result<MemoryDocument>> UpdateAsync(
        string workspaceId, string storeId, string memoryId, string? content, string? path, string? expectedSha256, MemoryActor actor, CancellationToken cancellationToken)
    {
        if (((path is null ? null : MemoryPaths.Validate(path)) ?? (content is null ? null : MemoryPaths.ValidateContent(content)) ?? MemoryChanges.CheckSha(expectedSha256, "precondition.content_sha256")) is { } error)
        {
            return error;
        }

        return await changes.RunAsync<MemoryDocument>(workspaceId, storeId, forWrite: true, async (writer, ct) =>
            await writer.GetAsync(memoryId, ct) is { } current
                ? await changes.ChangeAsync(writer, current, content, path, expectedSha256, actor, ct)
                : LucidError.NotFound("Memory", memoryId),
            cancellationToken);
    }

    public async Task<Result<MemoryDocument>> WriteAtPathAsync(
        string workspaceId, string storeId, string path, string content, string? expectedSha256, MemoryActor actor, CancellationToken cancellationToken)
    {
        if ((MemoryPaths.Validate(path) ?? MemoryPaths.ValidateContent(content) ?? MemoryChanges.CheckSha(expectedSha256, "content_sha256")) is { } error)
        {
            return error;
        }

        return await changes.RunAsync<MemoryDocument>(workspaceId, storeId, forWrite: true, async (writer, ct) =>
        {
            var overlap = await writer.FindOverlapAsync(path, null, ct);
            if (overlap is not null && overlap.Path == path)
            {
                var current = await writer.GetAsync(overlap.Id, ct) ?? overlap;
                return await changes.ChangeAsync(writer, current, content, null, expectedSha256, actor, ct);
            }

            if (overlap is not null)
            {
                return MemoryChanges.PathConflict(path, overlap);
            }

            if (expectedSha256 is not null)
            {
                return LucidError.PreconditionFailed($"No memory is at '{path}' any more; it was expected to have content_sha256 {expectedSha256}.");
            }

            return await changes.PutAsync(writer, storeId, null, path, content, actor, ct);
        }, cancellationToken);
    }

    public async Task<Result<string>> DeleteAsync(
        string workspaceId, string storeId, string memoryId, string? expectedSha256, MemoryActor actor, CancellationToken cancellationToken)
    {
        if (MemoryChanges.CheckSha(expectedSha256, "expected_content_sha256") is { } error)
        {
            return error;
        }

        return await changes.RunAsync<string>(workspaceId, storeId, forWrite: false, async (writer, ct) =>
        {
            if (await writer.GetAsync(memoryId, ct) is not { } current)
            {
                return LucidError.NotFound("Memory", memoryId);
            }

            return await changes.RemoveAsync(writer, current, expectedSha256, actor, ct) is { } stale ? stale : current.Id;
        }, cancellationToken);
    }
}
