using System.Security.Cryptography;
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
        ArgumentNullException.ThrowIfNull(content);
        var incoming = Path.Combine(Root, "incoming");
        Directory.CreateDirectory(incoming);
        var temporary = Path.Combine(incoming, Guid.NewGuid().ToString("N"));
        try
        {
            long size = 0;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes, useAsync: true))
            {
                var buffer = new byte[BufferBytes];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        return null;
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
            }

            var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            var path = PathOf(sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(path) ?? Root);
            if (!File.Exists(path))
            {
                File.Move(temporary, path, overwrite: true);
            }

            return new StoredBlob(sha256, size);
        }
        finally
        {
            File.Delete(temporary);
        }
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
