using Lucid.Files;
using Lucid.Storage;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Files;

public sealed class DiskBlobStoreContractTests : BlobStoreContractTests, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lucid-blobs-").FullName;

    protected override Task<IBlobStore> CreateBlobStoreAsync() => Task.FromResult<IBlobStore>(new DiskBlobStore(_root));

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
