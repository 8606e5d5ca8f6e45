using System.Security.Cryptography;
using Lucid.Testing.Storage;

namespace Lucid.Storage.Postgres.Tests;

// Two stores on one database are two nodes of a cluster, each with its own spool directory.
public sealed class PostgresBlobStoreTests : IAsyncLifetime
{
    private readonly string _spools = Directory.CreateTempSubdirectory("lucid-spools-").FullName;
    private string _database = "";
    private PostgresStore? _a;
    private PostgresStore? _b;

    private PostgresStore A => _a ?? throw new InvalidOperationException();

    private PostgresStore B => _b ?? throw new InvalidOperationException();

    private static CancellationToken None => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _database = await (await PostgresServer.Shared).CreateDatabaseAsync();
        _a = await PostgresStore.OpenAsync(_database, new PostgresStoreOptions { BlobSpoolDirectory = Path.Combine(_spools, "a") }, None);
        _b = await PostgresStore.OpenAsync(_database, new PostgresStoreOptions { BlobSpoolDirectory = Path.Combine(_spools, "b") }, None);
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        Directory.Delete(_spools, recursive: true);
    }

    private static byte[] Content(int seed, int length = (3 * PostgresBlobStore.ChunkBytes) + 5)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<byte[]> ReadAsync(IBlobStore blobs, string sha256)
    {
        await using var content = await blobs.OpenAsync(sha256, None) ?? throw new InvalidOperationException($"{sha256} is absent.");
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task A_blob_put_through_one_node_reads_whole_on_another_and_a_delete_there_is_seen_here()
    {
        var bytes = Content(1);

        var stored = await A.Blobs.PutAsync(new MemoryStream(bytes), bytes.Length, None);

        Assert.Equal(bytes, await ReadAsync(B.Blobs, stored!.Sha256));
        await B.Blobs.DeleteAsync(stored.Sha256, None);
        Assert.Null(await A.Blobs.OpenAsync(stored.Sha256, None));
    }

    [Fact]
    public async Task Two_nodes_putting_the_same_content_at_once_both_succeed_and_it_is_kept_once()
    {
        var bytes = Content(2);

        var stored = await Task.WhenAll(
            Task.Run(() => A.Blobs.PutAsync(new MemoryStream(bytes), bytes.Length, None)),
            Task.Run(() => B.Blobs.PutAsync(new MemoryStream(bytes), bytes.Length, None)));

        Assert.Equal(stored[0], stored[1]);
        Assert.Equal(bytes, await ReadAsync(A.Blobs, stored[0]!.Sha256));
        Assert.Equal(4L, await CountChunksAsync(stored[0]!.Sha256));
    }

    [Fact]
    public async Task A_put_leaves_nothing_in_the_spool_directory_whether_kept_or_over_the_limit()
    {
        await A.Blobs.PutAsync(new MemoryStream(Content(3, 5000)), 10_000, None);
        await A.Blobs.PutAsync(new MemoryStream(Content(4, 5000)), 100, None);

        Assert.Empty(Directory.GetFiles(Path.Combine(_spools, "a")));
    }

    [Fact]
    public async Task A_blob_deleted_while_being_read_ends_the_read_with_an_io_error()
    {
        var bytes = Content(5);
        var stored = await A.Blobs.PutAsync(new MemoryStream(bytes), bytes.Length, None);
        await using var reading = await B.Blobs.OpenAsync(stored!.Sha256, None) ?? throw new InvalidOperationException();
        var first = new byte[PostgresBlobStore.ChunkBytes];
        await reading.ReadExactlyAsync(first, None);

        await A.Blobs.DeleteAsync(stored.Sha256, None);

        var error = await Assert.ThrowsAsync<IOException>(async () => await reading.ReadExactlyAsync(new byte[10], None));
        Assert.Contains("deleted while being read", error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes.AsSpan(0, first.Length).ToArray(), first);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Sha256);
    }

    private async Task<long> CountChunksAsync(string sha256)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM blob_chunks WHERE sha256 = @sha", connection);
        command.Parameters.AddWithValue("sha", sha256);
        return (long)(await command.ExecuteScalarAsync() ?? 0L);
    }
}
