using System.Security.Cryptography;
using System.Text;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Auth;

/// <summary>Issues API keys and authenticates requests by them. Keys are random and high-entropy, so a plain SHA-256 is a safe hash.</summary>
public sealed class ApiKeyService
{
    private const string KeyPrefix = "lucid_sk_";
    private readonly IApiKeyStore _store;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;

    /// <summary>Creates the service.</summary>
    public ApiKeyService(IApiKeyStore store, TimeProvider? timeProvider = null, IdGenerator? ids = null)
    {
        _store = store;
        _time = timeProvider ?? TimeProvider.System;
        _ids = ids ?? IdGenerator.Random;
    }

    /// <summary>Creates a key for a workspace. The returned secret is shown once; only its hash is stored.</summary>
    public async Task<Result<(ApiKey Key, string Secret)>> CreateAsync(string workspaceId, string? name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(workspaceId) || workspaceId.Length > 64 || !workspaceId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            return LucidError.Invalid("workspace", "A workspace name is 1 to 64 letters, digits, '_' or '-'.");
        }

        var secret = KeyPrefix + IdGenerator.Random.NewId("k")[2..] + IdGenerator.Random.NewId("k")[2..];
        var key = new ApiKey
        {
            Id = _ids.NewId("key"),
            WorkspaceId = workspaceId,
            Name = name,
            Hash = Hash(secret),
            Prefix = secret[..(KeyPrefix.Length + 6)],
            CreatedAt = _time.GetUtcNow(),
        };
        await _store.CreateApiKeyAsync(key, cancellationToken);
        return (key, secret);
    }

    /// <summary>Returns the key a presented secret belongs to, or null.</summary>
    public async Task<ApiKey?> AuthenticateAsync(string? secret, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(secret) || secret.Length > 256 ? null : await _store.FindApiKeyAsync(Hash(secret), cancellationToken);

    /// <summary>Whether any key exists yet (the server creates the first one on its first start).</summary>
    public async Task<bool> AnyAsync(CancellationToken cancellationToken) => (await _store.ListApiKeysAsync(cancellationToken)).Count > 0;

    /// <summary>Lists all keys (hashes and prefixes only).</summary>
    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) => _store.ListApiKeysAsync(cancellationToken);

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
