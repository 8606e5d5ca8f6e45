using Lucid.Auth;

namespace Lucid.Storage;

/// <summary>Persists API keys by their hash.</summary>
public interface IApiKeyStore
{
    /// <summary>Stores a new key.</summary>
    Task CreateApiKeyAsync(ApiKey key, CancellationToken cancellationToken);

    /// <summary>Returns the key with the given SHA-256 hash, or null.</summary>
    Task<ApiKey?> FindApiKeyAsync(string hash, CancellationToken cancellationToken);

    /// <summary>Lists every key, oldest first.</summary>
    Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(CancellationToken cancellationToken);
}
