using System.Security.Cryptography;
using Lucid.Storage;

namespace Lucid.Testing.Storage;

/// <summary>The blob store contract, written once and run against every blob store (disk, PostgreSQL).</summary>
public abstract class BlobStoreContractTests
{
    /// <summary>Returns a new, empty blob store.</summary>
    protected abstract Task<IBlobStore> CreateBlobStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    /// <summary>Bytes that differ from one seed to the next, and are longer than two of PostgreSQL's 1 MiB chunks.</summary>
    protected static byte[] Content(int seed, int length = (5 * 1024 * 1024 / 2) + 17)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A blob's whole content, read in pieces smaller than a chunk (null when it is absent).</summary>
    protected static async Task<byte[]?> ReadAsync(IBlobStore blobs, string sha256)
    {
        await using var content = await blobs.OpenAsync(sha256, None);
        if (content is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, bufferSize: 1000);
        return copy.ToArray();
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task Put_returns_the_content_sha256_and_size_and_the_blob_reads_back_whole()
    {
        var blobs = await CreateBlobStoreAsync();
        var bytes = Content(1);

        var stored = await blobs.PutAsync(new MemoryStream(bytes), bytes.Length, None);

        Assert.Equal(new StoredBlob(Sha256(bytes), bytes.Length), stored);
        Assert.Equal(bytes, await ReadAsync(blobs, Sha256(bytes)));
    }

    [Fact]
    public async Task Put_of_the_same_content_again_returns_the_same_blob()
    {
        var blobs = await CreateBlobStoreAsync();
        var bytes = Content(2, 5000);

        var first = await blobs.PutAsync(new MemoryStream(bytes), 10_000, None);
        var again = await blobs.PutAsync(new MemoryStream(bytes), 10_000, None);

        Assert.Equal(first, again);
        Assert.Equal(bytes, await ReadAsync(blobs, Sha256(bytes)));
    }

    [Fact]
    public async Task Puts_of_the_same_content_at_once_all_succeed_and_keep_it_once()
    {
        var blobs = await CreateBlobStoreAsync();
        var bytes = Content(3);

        var stored = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => blobs.PutAsync(new MemoryStream(bytes), bytes.Length, None))));

        Assert.All(stored, blob => Assert.Equal(new StoredBlob(Sha256(bytes), bytes.Length), blob));
        Assert.Equal(bytes, await ReadAsync(blobs, Sha256(bytes)));
    }

    [Fact]
    public async Task Put_of_content_over_the_limit_keeps_nothing()
    {
        var blobs = await CreateBlobStoreAsync();
        var bytes = Content(4, 101);

        var stored = await blobs.PutAsync(new MemoryStream(bytes), 100, None);

        Assert.Null(stored);
        Assert.Null(await ReadAsync(blobs, Sha256(bytes)));
    }

    [Fact]
    public async Task Put_of_content_exactly_at_the_limit_is_kept()
    {
        var blobs = await CreateBlobStoreAsync();
        var bytes = Content(5, 100);

        var stored = await blobs.PutAsync(new MemoryStream(bytes), 100, None);

        Assert.Equal(100, stored?.SizeBytes);
        Assert.Equal(bytes, await ReadAsync(blobs, Sha256(bytes)));
    }

    [Fact]
    public async Task Empty_content_is_a_blob_too()
    {
        var blobs = await CreateBlobStoreAsync();

        var stored = await blobs.PutAsync(new MemoryStream(), 100, None);

        Assert.Equal(new StoredBlob(Sha256([]), 0), stored);
        Assert.Equal(0, (await ReadAsync(blobs, Sha256([])))?.Length);
    }

    [Fact]
    public async Task Open_of_a_blob_never_stored_is_null()
    {
        var blobs = await CreateBlobStoreAsync();

        Assert.Null(await blobs.OpenAsync(Sha256([9, 9, 9]), None));
    }

    [Fact]
    public async Task Delete_removes_the_blob_and_leaves_others_and_deleting_again_does_nothing()
    {
        var blobs = await CreateBlobStoreAsync();
        var gone = Content(6);
        var kept = Content(7, 300);
        await blobs.PutAsync(new MemoryStream(gone), gone.Length, None);
        await blobs.PutAsync(new MemoryStream(kept), kept.Length, None);

        await blobs.DeleteAsync(Sha256(gone), None);
        await blobs.DeleteAsync(Sha256(gone), None);

        Assert.Null(await blobs.OpenAsync(Sha256(gone), None));
        Assert.Equal(kept, await ReadAsync(blobs, Sha256(kept)));
    }
}
