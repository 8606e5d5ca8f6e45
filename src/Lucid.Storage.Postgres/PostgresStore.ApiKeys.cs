using Lucid.Auth;
using Npgsql;
using static Lucid.Storage.Postgres.StoredValues;

namespace Lucid.Storage.Postgres;

public sealed partial class PostgresStore
{
    private const string KeyColumns = "id, workspace_id, name, hash, prefix, created_at, revoked_at";

    /// <inheritdoc />
    public Task CreateApiKeyAsync(ApiKey key, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
            connection.ExecuteAsync($"INSERT INTO api_keys ({KeyColumns}) VALUES (@id, @workspace, @name, @hash, @prefix, @created, @revoked)", CancellationToken.None,
                ("@id", key.Id), ("@workspace", key.WorkspaceId), ("@name", key.Name), ("@hash", key.Hash), ("@prefix", key.Prefix), ("@created", Time(key.CreatedAt)),
                ("@revoked", Time(key.RevokedAt))),
            cancellationToken);

    /// <inheritdoc />
    public Task<ApiKey?> RevokeApiKeyAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await connection.ExecuteAsync("UPDATE api_keys SET revoked_at = @revoked WHERE id = @id AND revoked_at IS NULL", CancellationToken.None, ("@id", id), ("@revoked", Time(revokedAt)));
            return await connection.QuerySingleAsync($"SELECT {KeyColumns} FROM api_keys WHERE id = @id", ReadKey, CancellationToken.None, ("@id", id));
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<ApiKey?> FindApiKeyAsync(string hash, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync($"SELECT {KeyColumns} FROM api_keys WHERE hash = @hash", ReadKey, cancellationToken, ("@hash", hash));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QueryAsync($"SELECT {KeyColumns} FROM api_keys ORDER BY created_at, id", ReadKey, cancellationToken);
    }

    private static ApiKey ReadKey(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        WorkspaceId = r.GetString(1),
        Name = r.IsDBNull(2) ? null : r.GetString(2),
        Hash = r.GetString(3),
        Prefix = r.GetString(4),
        CreatedAt = ReadTime(r, 5) ?? default,
        RevokedAt = ReadTime(r, 6),
    };
}
