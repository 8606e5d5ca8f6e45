using System.Security.Cryptography;
using Lucid.Storage;

namespace Lucid.Files;

/// <summary>
/// Content read into a temporary file while its SHA-256 and size are counted, up to a limit: how a blob store learns a
/// blob's key before it keeps the bytes. The file is readable by this process's user only. Disposing deletes it (a store
/// that keeps the file itself moves it away first).
/// </summary>
public sealed class BlobSpool : IDisposable
{
    private const int BufferBytes = 81_920;

    private BlobSpool(string path, StoredBlob blob)
    {
        Path = path;
        Blob = blob;
    }

    /// <summary>The temporary file.</summary>
    public string Path { get; }

    /// <summary>The content's SHA-256 and size.</summary>
    public StoredBlob Blob { get; }

    /// <summary>
    /// Reads <paramref name="content"/> into a new file under <paramref name="directory"/> (created if missing); null when
    /// it is longer than <paramref name="maxBytes"/>, and then no file is left.
    /// </summary>
    public static async Task<BlobSpool?> WriteAsync(Stream content, long maxBytes, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, Guid.NewGuid().ToString("N"));
        var kept = false;
        try
        {
            long size = 0;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(path, Options()))
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

            kept = true;
            return new BlobSpool(path, new StoredBlob(Convert.ToHexStringLower(hash.GetHashAndReset()), size));
        }
        finally
        {
            if (!kept)
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>Opens the file for reading.</summary>
    public FileStream OpenRead() => new(Path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, useAsync: true);

    /// <summary>Deletes the file, unless it has been moved away.</summary>
    public void Dispose() => File.Delete(Path);

    private static FileStreamOptions Options()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = BufferBytes, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }
}
