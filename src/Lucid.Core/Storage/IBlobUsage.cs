namespace Lucid.Storage;

/// <summary>Whether anything still refers to a blob: the Files API's files and skill versions share the blob store.</summary>
public interface IBlobUsage
{
    /// <summary>Whether any file or skill version's file has the blob <paramref name="sha256"/> as its content.</summary>
    Task<bool> BlobInUseAsync(string sha256, CancellationToken cancellationToken);
}
