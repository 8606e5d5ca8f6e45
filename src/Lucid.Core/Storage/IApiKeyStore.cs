using Lucid.Auth;

namespace Lucid.Storage;

/// <summary>Persists API keys by their hash.</summary>
public interface IApiKeyStore
{
    /// <summary>Stores a new key.</summary>
    Task CreateApiKeyAsync(ApiKey key, CancellationToken cancellationToken);

    /// <summary>Returns the key with the given SHA-256 hash (revoked or not), or null.</summary>
    Task<ApiKey?> FindApiKeyAsync(string hash, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the key with the given ID revoked at <paramref name="revokedAt"/>, unless it already is (it keeps its first
    /// revocation time). Returns the key as stored afterwards, or null when no key has that ID.
    /// </summary>
    Task<ApiKey?> RevokeApiKeyAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken);

    /// <summary>Lists every key, revoked ones too, oldest first.</summary>
    Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(CancellationToken cancellationToken);
}
