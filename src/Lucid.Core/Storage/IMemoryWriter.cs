using Lucid.Memory;

namespace Lucid.Storage;

/// <summary>The reads and writes of one atomic change to a store's memories (see <see cref="IMemoryStorage.WriteMemoriesAsync"/>).</summary>
public interface IMemoryWriter
{
    /// <summary>The store, or null when it does not exist.</summary>
    Task<MemoryStore?> GetStoreAsync(CancellationToken cancellationToken);

    /// <summary>A memory of the store by ID, or null.</summary>
    Task<MemoryDocument?> GetAsync(string memoryId, CancellationToken cancellationToken);

    /// <summary>A memory other than <paramref name="exceptId"/> whose path equals, is an ancestor of, or is below <paramref name="path"/>.</summary>
    Task<MemoryDocument?> FindOverlapAsync(string path, string? exceptId, CancellationToken cancellationToken);

    /// <summary>A version of the store by ID, or null.</summary>
    Task<MemoryVersion?> GetVersionAsync(string versionId, CancellationToken cancellationToken);

    /// <summary>Appends a version and sets the memory it describes (created or modified) to <paramref name="memory"/>.</summary>
    Task PutAsync(MemoryDocument memory, MemoryVersion version, CancellationToken cancellationToken);

    /// <summary>Appends a deletion version and removes the memory.</summary>
    Task DeleteAsync(MemoryVersion version, CancellationToken cancellationToken);

    /// <summary>Replaces a version's record (redaction is the only change a version may get).</summary>
    Task RedactAsync(MemoryVersion version, CancellationToken cancellationToken);
}
