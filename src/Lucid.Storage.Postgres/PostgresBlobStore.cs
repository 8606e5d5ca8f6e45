using Lucid.Files;
using Npgsql;

namespace Lucid.Storage.Postgres;

/// <summary>
/// Blobs in the database, so that a file uploaded through one node can be read on any other: a row per blob in
/// <c>blobs</c>, keyed by its SHA-256, and its bytes in 1 MiB chunks in <c>blob_chunks</c>. An upload is spooled to a
/// local file first (to learn its SHA-256 and stay within the limit without holding a transaction open while the client
/// sends), then written in one transaction on a connection of its own, not through the store's writer, so a large blob
/// never holds up event appends. Writing the same content twice, even from two nodes at once, stores it once: the second
/// insert of the row waits for the first transaction and then does nothing. Reading fetches one chunk at a time.
/// </summary>
internal sealed class PostgresBlobStore(NpgsqlDataSource source, string spoolDirectory) : IBlobStore
{
    /// <summary>The size of a chunk: every chunk of a blob but its last is this long.</summary>
    public const int ChunkBytes = 1024 * 1024;

    /// <inheritdoc />
    public async Task<StoredBlob?> PutAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        using var spool = await BlobSpool.WriteAsync(content, maxBytes, spoolDirectory, cancellationToken);
        if (spool is null)
        {
            return null;
        }

        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var added = await connection.ExecuteAsync(
            "INSERT INTO blobs (sha256, size_bytes) VALUES (@sha, @size) ON CONFLICT (sha256) DO NOTHING",
            cancellationToken,
            ("@sha", spool.Blob.Sha256), ("@size", spool.Blob.SizeBytes));
        if (added == 1)
        {
            await WriteChunksAsync(connection, spool, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return spool.Blob;
    }

    /// <inheritdoc />
    public async Task<Stream?> OpenAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        return await connection.ScalarAsync("SELECT size_bytes FROM blobs WHERE sha256 = @sha", cancellationToken, ("@sha", sha256)) is long size
            ? new PostgresBlobStream(source, sha256, size)
            : null;
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM blobs WHERE sha256 = @sha", cancellationToken, ("@sha", sha256));
    }

    private static async Task WriteChunksAsync(NpgsqlConnection connection, BlobSpool spool, CancellationToken cancellationToken)
    {
        await using var file = spool.OpenRead();
        var buffer = new byte[ChunkBytes];
        for (var ordinal = 0; ; ordinal++)
        {
            var read = await file.ReadAtLeastAsync(buffer, ChunkBytes, throwOnEndOfStream: false, cancellationToken);
            if (read == 0)
            {
                return;
            }

            await connection.ExecuteAsync(
                "INSERT INTO blob_chunks (sha256, ordinal, bytes) VALUES (@sha, @ordinal, @bytes)",
                cancellationToken,
                ("@sha", spool.Blob.Sha256), ("@ordinal", ordinal), ("@bytes", new ArraySegment<byte>(buffer, 0, read)));
        }
    }
}
