using Lucid.Files;

namespace Lucid.Storage;

/// <summary>Persists the metadata of the Files API's files (their bytes are in an <see cref="IBlobStore"/>).</summary>
public interface IFileStore : IBlobUsage
{
    /// <summary>Stores a new file.</summary>
    Task CreateFileAsync(StoredFile file, CancellationToken cancellationToken);

    /// <summary>Returns a file, or null.</summary>
    Task<StoredFile?> GetFileAsync(string id, CancellationToken cancellationToken);

    /// <summary>Lists a workspace's files, newest first; only those scoped to <paramref name="scopeSessionId"/> when it is set.</summary>
    Task<Page<StoredFile>> ListFilesAsync(string workspaceId, string? scopeSessionId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Deletes a file. Returns false when absent.</summary>
    Task<bool> DeleteFileAsync(string id, CancellationToken cancellationToken);
}
