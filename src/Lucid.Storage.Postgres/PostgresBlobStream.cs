using Npgsql;

namespace Lucid.Storage.Postgres;

/// <summary>
/// A blob's bytes read from <c>blob_chunks</c> one chunk at a time, each on a pooled connection only while it is
/// fetched, so a slow reader holds no connection. A chunk missing part way (the blob deleted meanwhile) is an
/// <see cref="IOException"/>.
/// </summary>
internal sealed class PostgresBlobStream(NpgsqlDataSource source, string sha256, long length) : Stream
{
    private const string ChunkQuery = "SELECT bytes FROM blob_chunks WHERE sha256 = @sha AND ordinal = @ordinal";

    private byte[] _chunk = [];
    private int _offset;
    private int _nextOrdinal;
    private long _position;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => length;

    /// <inheritdoc />
    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException("A blob is read from start to end.");
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_offset == _chunk.Length)
        {
            if (_position == length || buffer.IsEmpty)
            {
                return 0;
            }

            await using var connection = await source.OpenConnectionAsync(cancellationToken);
            Next(await connection.ScalarAsync(ChunkQuery, cancellationToken, ("@sha", sha256), ("@ordinal", _nextOrdinal)));
        }

        return Copy(buffer.Span);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (_offset == _chunk.Length)
        {
            if (_position == length || buffer.IsEmpty)
            {
                return 0;
            }

            using var connection = source.OpenConnection();
            using var command = PostgresCommands.Command(connection, ChunkQuery, [("@sha", sha256), ("@ordinal", _nextOrdinal)]);
            Next(command.ExecuteScalar());
        }

        return Copy(buffer);
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A blob is read from start to end.");

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException("A blob is read only.");

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A blob is read only.");

    private void Next(object? chunk)
    {
        _chunk = chunk as byte[] is { Length: > 0 } bytes
            ? bytes
            : throw new IOException($"Blob {sha256} ends after {_position:N0} of its {length:N0} bytes: it was deleted while being read.");
        _offset = 0;
        _nextOrdinal++;
    }

    private int Copy(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _chunk.Length - _offset);
        _chunk.AsSpan(_offset, count).CopyTo(buffer);
        _offset += count;
        _position += count;
        return count;
    }
}
