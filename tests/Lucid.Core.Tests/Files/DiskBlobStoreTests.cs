using System.Text;
using Lucid.Files;

namespace Lucid.Core.Tests.Files;

// What the disk store leaves on disk; what every blob store does is in DiskBlobStoreContractTests.
public sealed class DiskBlobStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lucid-blobs-").FullName;

    [Fact]
    public async Task Put_of_the_same_content_twice_leaves_one_file_named_after_its_sha256()
    {
        var blobs = new DiskBlobStore(_root);
        var bytes = Encoding.UTF8.GetBytes("hello blobs");

        var first = await blobs.PutAsync(new MemoryStream(bytes), 100, CancellationToken.None);
        await blobs.PutAsync(new MemoryStream(bytes), 100, CancellationToken.None);

        var file = Assert.Single(Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
        Assert.Equal(Path.Combine(_root, first!.Sha256[..2], first.Sha256), file);
    }

    [Fact]
    public async Task Put_of_content_over_the_limit_leaves_no_file()
    {
        var blobs = new DiskBlobStore(_root);

        await blobs.PutAsync(new MemoryStream(new byte[101]), 100, CancellationToken.None);

        Assert.Empty(Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
