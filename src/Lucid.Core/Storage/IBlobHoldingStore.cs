namespace Lucid.Storage;

/// <summary>
/// A store that keeps the bytes of files and skills in its own database, so that every process on the store reads the
/// same blobs (PostgreSQL's, which several nodes share). A store without this keeps them in a data directory.
/// </summary>
public interface IBlobHoldingStore
{
    /// <summary>The store's blobs.</summary>
    IBlobStore Blobs { get; }
}
