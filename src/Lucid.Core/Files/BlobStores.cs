using Lucid.Storage;

namespace Lucid.Files;

/// <summary>Which blob store goes with a store.</summary>
public static class BlobStores
{
    /// <summary>
    /// The blobs of <paramref name="store"/> when it keeps them (<see cref="IBlobHoldingStore"/>), else a
    /// <see cref="DiskBlobStore"/> under <paramref name="diskRoot"/>.
    /// </summary>
    public static IBlobStore For(ILucidStore store, string diskRoot) =>
        store is IBlobHoldingStore holding ? holding.Blobs : new DiskBlobStore(diskRoot);
}
