using System.Security.Cryptography;
using System.Text;
using Lucid.Files;

namespace Lucid.Core.Tests.Files;

public sealed class DiskBlobStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lucid-blobs-").FullName;

    [Fact]
    public async Task Put_stores_content_once_under_its_sha256_and_reads_it_back()
    {
        var blobs = new DiskBlobStore(_root);
        var bytes = Encoding.UTF8.GetBytes("hello blobs");

        var first = await blobs.PutAsync(new MemoryStream(bytes), 100, CancellationToken.None);
        var again = await blobs.PutAsync(new MemoryStream(bytes), 100, CancellationToken.None);
        await using var read = await blobs.OpenAsync(first!.Sha256, CancellationToken.None);
        using var copy = new MemoryStream();
        await read!.CopyToAsync(copy);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), first.Sha256);
        Assert.Equal(bytes.Length, first.SizeBytes);
        Assert.Equal(first, again);
        Assert.Equal(bytes, copy.ToArray());
        Assert.Single(Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Put_of_content_over_the_limit_keeps_nothing()
    {
        var blobs = new DiskBlobStore(_root);

        var stored = await blobs.PutAsync(new MemoryStream(new byte[101]), 100, CancellationToken.None);

        Assert.Null(stored);
        Assert.Empty(Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Delete_removes_the_blob()
    {
        var blobs = new DiskBlobStore(_root);
        var stored = await blobs.PutAsync(new MemoryStream([1, 2, 3]), 100, CancellationToken.None);

        await blobs.DeleteAsync(stored!.Sha256, CancellationToken.None);

        Assert.Null(await blobs.OpenAsync(stored.Sha256, CancellationToken.None));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
