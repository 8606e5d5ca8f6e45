namespace Lucid.Storage;

/// <summary>Content-addressed bytes: each blob is stored once under the SHA-256 of its content.</summary>
public interface IBlobStore
{
    /// <summary>
    /// Stores <paramref name="content"/>, at most <paramref name="maxBytes"/> of it, and returns its SHA-256 (lowercase
    /// hex) and size; null when the content is longer than <paramref name="maxBytes"/> (nothing is kept then).
    /// </summary>
    Task<StoredBlob?> PutAsync(Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Opens a blob for reading, or returns null when it is absent.</summary>
    Task<Stream?> OpenAsync(string sha256, CancellationToken cancellationToken);

    /// <summary>Removes a blob; nothing happens when it is absent.</summary>
    Task DeleteAsync(string sha256, CancellationToken cancellationToken);
}

/// <summary>A stored blob.</summary>
/// <param name="Sha256">The SHA-256 of its content, lowercase hex.</param>
/// <param name="SizeBytes">Its size.</param>
public sealed record StoredBlob(string Sha256, long SizeBytes);
