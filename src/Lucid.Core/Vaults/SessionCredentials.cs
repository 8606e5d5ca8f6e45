using Lucid.Environments;
using Lucid.Results;
using Lucid.Sandboxing;
using Lucid.Secrets;
using Lucid.Storage;

namespace Lucid.Vaults;

/// <summary>
/// The credentials of a session's vaults (<c>vault_ids</c>), as its MCP connections and sandbox use them: the header for
/// an MCP server's URL, the sandbox's variables, and every secret value so that tool results can be redacted before
/// they are logged. Credentials are read when used, so an update or an archive counts at the next connection. The first
/// vault in <c>vault_ids</c> with a credential for a URL or variable wins.
/// </summary>
internal sealed class SessionCredentials
{
    /// <summary>An access token this close to its expiry is refreshed before use.</summary>
    public static readonly TimeSpan RefreshAhead = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyList<string> _vaultIds;
    private readonly string _workspaceId;
    private readonly VaultParts _parts;

    public SessionCredentials(IReadOnlyList<string> vaultIds, string workspaceId, VaultParts parts)
    {
        _vaultIds = vaultIds;
        _workspaceId = workspaceId;
        _parts = parts;
    }

    /// <summary>The headers to send to the MCP server at <paramref name="url"/> (none without a credential), or why there are none.</summary>
    public async Task<Result<IReadOnlyDictionary<string, string>>> HeadersAsync(string url, CancellationToken cancellationToken)
    {
        foreach (var (credential, secrets) in await ActiveAsync(cancellationToken))
        {
            if (!CredentialService.SameUrl(url, credential.Auth.ServerUrlOrNull()))
            {
                continue;
            }

            var token = credential.Auth is McpOAuthAuth oauth && Expired(oauth)
                ? await RefreshAsync(credential, cancellationToken)
                : secrets.Token;
            return token.IsSuccess && token.Value is { } value
                ? new Dictionary<string, string> { ["Authorization"] = $"Bearer {value}" }
                : LucidError.Invalid("vault_ids", $"Credential '{credential.Id}' of vault '{credential.VaultId}' for {url}: {token.Error?.Message ?? "it has no token."}");
        }

        return new Dictionary<string, string>();
    }

    /// <summary>
    /// The session's environment-variable credentials, as a sandbox whose network is <paramref name="environment"/> puts
    /// them in place (the first per variable name). A credential's hosts that the environment does not permit are dropped
    /// and reported; a credential with none left is left out, so its variable's name goes to the next vault's.
    /// </summary>
    public async Task<SandboxCredentials> SandboxSecretsAsync(EgressRules environment, CancellationToken cancellationToken)
    {
        var secrets = new Dictionary<string, SandboxSecret>(StringComparer.Ordinal);
        var unreachable = new List<UnreachableCredentialHosts>();
        foreach (var (credential, sealedSecrets) in await ActiveAsync(cancellationToken))
        {
            if (credential.Auth is not EnvironmentVariableAuth variable || sealedSecrets.Value is not { } value || secrets.ContainsKey(variable.SecretName))
            {
                continue;
            }

            // A wildcard host counts as permitted only when the environment permits every name under it.
            var allowed = variable.AllowedHosts ?? [];
            var refused = allowed.Where(host => !environment.Allows(host)).ToList();
            if (refused.Count > 0)
            {
                unreachable.Add(new UnreachableCredentialHosts(credential.Id, credential.VaultId, variable.SecretName, refused, LeftOut: refused.Count == allowed.Count));
                if (refused.Count == allowed.Count)
                {
                    continue;
                }
            }

            var hosts = new EgressRules(variable.AllowedHosts is null
                ? new NetworkPolicy { Unrestricted = true }
                : new NetworkPolicy { AllowedHosts = [.. allowed.Except(refused, StringComparer.Ordinal)] });
            secrets[variable.SecretName] = new SandboxSecret(credential.Id, variable.SecretName, value, hosts, variable.InHeaders, variable.InBody);
        }

        return new SandboxCredentials([.. secrets.Values], unreachable);
    }

    /// <summary>Every secret value of the session's credentials, for redaction.</summary>
    public async Task<IReadOnlyList<KnownSecret>> KnownSecretsAsync(CancellationToken cancellationToken) =>
        [.. (await ActiveAsync(cancellationToken)).SelectMany(c => c.Secrets.Values().Select(v => new KnownSecret($"secret of credential {c.Credential.Id}", v)))];

    private bool Expired(McpOAuthAuth oauth) => oauth.ExpiresAt is { } expires && expires - RefreshAhead <= _parts.Time.GetUtcNow();

    // The active credentials of the active vaults, in vault_ids order; a vault deleted or archived since is skipped.
    private async Task<List<(VaultCredential Credential, CredentialSecrets Secrets)>> ActiveAsync(CancellationToken cancellationToken)
    {
        var active = new List<(VaultCredential, CredentialSecrets)>();
        foreach (var vaultId in _vaultIds)
        {
            if (await _parts.Store.GetVaultAsync(vaultId, cancellationToken) is not { ArchivedAt: null } vault || vault.WorkspaceId != _workspaceId)
            {
                continue;
            }

            var credentials = new List<VaultCredential>();
            await foreach (var credential in VaultSecrets.All(cursor => _parts.Store.ListCredentialsAsync(vaultId, false, new PageRequest(100, cursor), cancellationToken)))
            {
                credentials.Add(credential);
            }

            active.AddRange(credentials.OrderBy(c => c.CreatedAt).Select(c => (c, _parts.Box.Open(c.SealedSecrets, c.Id))));
        }

        return active;
    }

    // Refreshes an expired token and stores the new one before it is used; another session that refreshed it meanwhile
    // leaves a fresh token to take instead. A token that cannot be refreshed is an error, never a wait.
    private async Task<Result<string?>> RefreshAsync(VaultCredential credential, CancellationToken cancellationToken)
    {
        var gate = RefreshGates.For(credential.Id);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (await _parts.Store.GetCredentialAsync(credential.Id, cancellationToken) is not { ArchivedAt: null, Auth: McpOAuthAuth oauth } current)
            {
                return LucidError.NotFound("Credential", credential.Id);
            }

            var secrets = _parts.Box.Open(current.SealedSecrets, current.Id);
            if (!Expired(oauth))
            {
                return secrets.Token;
            }

            if (oauth.Refresh is not { } refresh)
            {
                return LucidError.Invalid("auth.refresh", $"The access token expired at {oauth.ExpiresAt:O} and the credential has no refresh configuration; update it with a new access_token.");
            }

            var refreshed = await _parts.Refresher.RefreshAsync(refresh, secrets, cancellationToken);
            if (!refreshed.IsSuccess)
            {
                await _parts.Store.RecordRefreshFailureAsync(current, _parts.Time.GetUtcNow(), CancellationToken.None);
                return refreshed.Error;
            }

            var (next, expiresAt) = refreshed.Value;
            var updated = current with
            {
                Auth = oauth with { ExpiresAt = expiresAt },
                SealedSecrets = _parts.Box.Seal(next, current.Id),
                UpdatedAt = _parts.Time.GetUtcNow(),
            };
            await _parts.Store.UpdateCredentialAsync(updated, CancellationToken.None);
            return next.Token;
        }
        finally
        {
            gate.Release();
        }
    }
}
