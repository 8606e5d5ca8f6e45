using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Auth;

/// <summary>
/// Issues, authenticates and revokes API keys. Keys are random and high-entropy, so a plain SHA-256 is a safe hash. A
/// key found in the store is remembered for <see cref="CacheFor"/>, so a busy client costs one store read per key and
/// period instead of one per request; an unknown secret is never remembered. A key revoked through this service is
/// refused by it at once; another process (a server, when the CLI revoked the key) refuses it once its cached copy
/// expires, within <see cref="CacheFor"/>.
/// </summary>
public sealed class ApiKeyService
{
    /// <summary>How long a key found in the store is trusted without reading it again.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private const string KeyPrefix = "lucid_sk_";
    private const string IdPrefix = "key";
    private const int MostCachedKeys = 10_000;
    private readonly ConcurrentDictionary<string, (ApiKey Key, DateTimeOffset Until)> _known = new(StringComparer.Ordinal);

    // Keys revoked through this service: refused even by a lookup that read the store before the revocation committed.
    private readonly ConcurrentDictionary<string, byte> _revoked = new(StringComparer.Ordinal);
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
            Id = _ids.NewId(IdPrefix),
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
    public async Task<ApiKey?> AuthenticateAsync(string? secret, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > 256)
        {
            return null;
        }

        return await AuthenticateHashAsync(Hash(secret), cancellationToken);
    }

    /// <summary>
    /// Returns the live key with this hash, or null: how a session that remembers only the hash of the key it signed in
    /// with (the web console's cookie) checks on every request that the key is still valid.
    /// </summary>
    public async Task<ApiKey?> AuthenticateHashAsync(string hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        var now = _time.GetUtcNow();
        if (_known.TryGetValue(hash, out var known) && known.Until > now)
        {
            return _revoked.ContainsKey(known.Key.Id) ? null : known.Key;
        }

        var key = await _store.FindApiKeyAsync(hash, cancellationToken);
        if (key is null || key.RevokedAt is not null || _revoked.ContainsKey(key.Id))
        {
            _known.TryRemove(hash, out _);
            return null;
        }

        if (_known.Count >= MostCachedKeys)
        {
            _known.Clear();
        }

        _known[hash] = (key, now + CacheFor);
        return key;
    }

    /// <summary>
    /// Revokes a key: it is kept (listed with its revocation time) and refused from now on — by this service at once,
    /// by other processes within <see cref="CacheFor"/>. Revoking a revoked key changes nothing.
    /// </summary>
    public async Task<Result<ApiKey>> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        if (!id.StartsWith(IdPrefix + "_", StringComparison.Ordinal))
        {
            return LucidError.Invalid("id", $"'{id}' is not an API key ID; they start with {IdPrefix}_ (see lucid keys list).");
        }

        var revoked = await _store.RevokeApiKeyAsync(id, _time.GetUtcNow(), cancellationToken);
        if (revoked is null)
        {
            return LucidError.NotFound("API key", id);
        }

        _revoked[id] = 0;
        _known.TryRemove(revoked.Hash, out _);
        return revoked;
    }

    /// <summary>Whether any key exists yet (the server creates the first one on its first start).</summary>
    public async Task<bool> AnyAsync(CancellationToken cancellationToken) => (await _store.ListApiKeysAsync(cancellationToken)).Count > 0;

    /// <summary>Lists all keys (hashes and prefixes only).</summary>
    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) => _store.ListApiKeysAsync(cancellationToken);

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
