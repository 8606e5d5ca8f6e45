using System.Text;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Memory;

/// <summary>
/// The steps every change to a store's memories is made of, inside one atomic unit of work: each write appends its
/// version, and a unit of work that ends in a failure writes nothing.
/// </summary>
internal sealed class MemoryChanges(IMemoryStorage storage, TimeProvider time, IdGenerator ids)
{
    /// <summary>
    /// Runs <paramref name="work"/> as one atomic write to a store of the workspace. With <paramref name="forWrite"/> an
    /// archived store refuses it (deletions and redactions still apply there). A failed result rolls back what the work wrote.
    /// </summary>
    public async Task<Result<T>> RunAsync<T>(
        string workspaceId, string storeId, bool forWrite, Func<IMemoryWriter, CancellationToken, Task<Result<T>>> work, CancellationToken cancellationToken)
    {
        if (!IdPrefixes.Has(storeId, IdPrefixes.MemoryStore))
        {
            return LucidError.NotFound("Memory store", storeId);
        }

        try
        {
            return await storage.WriteMemoriesAsync(storeId, async (writer, ct) =>
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

                var result = await work(writer, ct);

                // Throwing is how a unit of work takes back what it wrote.
                return result.IsSuccess ? result : throw new RolledBackException(result.Error);
            }, cancellationToken);
        }
        catch (RolledBackException rolledBack)
        {
            return rolledBack.Error;
        }
    }

    /// <summary>Creates a memory at a path that must not overlap another memory's.</summary>
    public async Task<Result<MemoryDocument>> CreateAsync(
        IMemoryWriter writer, string storeId, string path, string content, MemoryActor actor, CancellationToken cancellationToken) =>
        await writer.FindOverlapAsync(path, null, cancellationToken) is { } other
            ? PathConflict(path, other)
            : await PutAsync(writer, storeId, null, path, content, actor, cancellationToken);

    /// <summary>
    /// Changes a memory's content, path, or both (null keeps it). Already exactly as asked, it succeeds whatever
    /// <paramref name="expectedSha256"/> says and adds no version.
    /// </summary>
    public async Task<Result<MemoryDocument>> ChangeAsync(
        IMemoryWriter writer, MemoryDocument current, string? content, string? path, string? expectedSha256, MemoryActor actor, CancellationToken cancellationToken)
    {
        var nextContent = content ?? current.Content ?? "";
        var nextPath = path ?? current.Path;
        if (nextContent == current.Content && nextPath == current.Path)
        {
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

    /// <summary>Sets a memory (a new one when <paramref name="current"/> is null) and appends the version recording it.</summary>
    public async Task<MemoryDocument> PutAsync(
        IMemoryWriter writer, string storeId, MemoryDocument? current, string path, string content, MemoryActor actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sha = MemoryPaths.Sha256(content);
        var size = Encoding.UTF8.GetByteCount(content);
        var version = new MemoryVersion
        {
            Id = ids.NewId(IdPrefixes.MemoryVersion),
            StoreId = storeId,
            MemoryId = current?.Id ?? ids.NewId(IdPrefixes.Memory),
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

    /// <summary>Deletes a memory, appending the deletion version; with <paramref name="expectedSha256"/> only while its content still has that hash.</summary>
    public async Task<LucidError?> RemoveAsync(
        IMemoryWriter writer, MemoryDocument current, string? expectedSha256, MemoryActor actor, CancellationToken cancellationToken)
    {
        if (expectedSha256 is not null && current.ContentSha256 != expectedSha256)
        {
            return StalePrecondition(current, expectedSha256);
        }

        await writer.DeleteAsync(
            new MemoryVersion
            {
                Id = ids.NewId(IdPrefixes.MemoryVersion),
                StoreId = current.StoreId,
                MemoryId = current.Id,
                Operation = MemoryOperation.Deleted,
                Path = current.Path,
                CreatedBy = actor,
                CreatedAt = time.GetUtcNow(),
            },
            cancellationToken);
        return null;
    }

    /// <summary>Checks a content hash given as a precondition.</summary>
    public static LucidError? CheckSha(string? sha, string field) =>
        sha is null || (sha.Length == 64 && sha.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
            ? null
            : LucidError.Invalid(field, $"{field} must be 64 lowercase hexadecimal characters (a SHA-256 of the UTF-8 content).");

    public static LucidError PathConflict(string path, MemoryDocument other) =>
        LucidError.PathConflict(
            other.Path == path
                ? $"The path '{path}' is already used by memory '{other.Id}'. Update that memory instead, or rename or delete it first."
                : $"The path '{path}' overlaps the path '{other.Path}' of memory '{other.Id}': one is a directory of the other. Rename or delete that memory first.",
            other.Path,
            other.Id);

    public static LucidError StalePrecondition(MemoryDocument current, string expected) =>
        LucidError.PreconditionFailed(
            $"Memory '{current.Id}' ({current.Path}) has changed: its content_sha256 is no longer {expected}. Retrieve it and retry.");

    private sealed class RolledBackException(LucidError error) : Exception(error.Message)
    {
        public LucidError Error { get; } = error;
    }
}
