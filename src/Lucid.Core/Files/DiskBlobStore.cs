using Lucid.Storage;

namespace Lucid.Files;

/// <summary>
/// Blobs as files under a directory, named after their SHA-256 (<c>ab/abcdef…</c>). A blob is written to a temporary
/// file first and renamed into place once whole, so a reader never sees part of one.
/// </summary>
public sealed class DiskBlobStore(string root) : IBlobStore
{
    private const int BufferBytes = 81_920;

    /// <summary>The directory the blobs are under.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <inheritdoc />
    public async Task<StoredBlob?> PutAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        using var spool = await BlobSpool.WriteAsync(content, maxBytes, Path.Combine(Root, "incoming"), cancellationToken);
        if (spool is null)
        {
            return null;
        }

        var path = PathOf(spool.Blob.Sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(path) ?? Root);
        if (!File.Exists(path))
        {
            // A rename replaces atomically: two writers of the same content both succeed, and a reader sees one whole file.
            File.Move(spool.Path, path, overwrite: true);
        }

        return spool.Blob;
    }

    /// <inheritdoc />
    public Task<Stream?> OpenAsync(string sha256, CancellationToken cancellationToken)
    {
        var path = PathOf(sha256);
        return Task.FromResult<Stream?>(File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferBytes, useAsync: true)
            : null);
    }

    /// <inheritdoc />
    public Task DeleteAsync(string sha256, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(sha256));
        return Task.CompletedTask;
    }

    private string PathOf(string sha256) =>
        sha256.Length == 64 && sha256.All(char.IsAsciiHexDigitLower)
            ? Path.Combine(Root, sha256[..2], sha256)
            : throw new ArgumentException($"'{sha256}' is not a SHA-256 in lowercase hex.", nameof(sha256));
}
