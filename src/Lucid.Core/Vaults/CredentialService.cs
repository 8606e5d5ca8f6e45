using Lucid.Ids;
using Lucid.Results;
using Lucid.Storage;
using Lucid.Validation;

namespace Lucid.Vaults;

/// <summary>
/// Creates, updates, archives and deletes the credentials of a workspace's vaults. Secrets are sealed before they are
/// stored and never come back out of this service except to a session (<see cref="SessionCredentials"/>). In a vault,
/// one active credential per MCP server URL and one per variable name: a second is a conflict.
/// </summary>
public sealed class CredentialService
{
    private readonly IVaultStore _store;
    private readonly VaultService _vaults;
    private readonly SecretBox _box;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;

    /// <summary>Creates the service.</summary>
    public CredentialService(IVaultStore store, SecretBox box, TimeProvider? timeProvider = null, IdGenerator? ids = null)
    {
        _store = store;
        _box = box;
        _time = timeProvider ?? TimeProvider.System;
        _ids = ids ?? IdGenerator.Random;
        _vaults = new VaultService(store, _time, _ids);
    }

    /// <summary>Creates a credential in an active vault.</summary>
    public async Task<Result<VaultCredential>> CreateAsync(string workspaceId, string vaultId, NewCredential request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var vault = await _vaults.GetAsync(workspaceId, vaultId, cancellationToken);
        if (!vault.IsSuccess)
        {
            return vault.Error;
        }

        var now = _time.GetUtcNow();
        if (vault.Value.ArchivedAt is not null)
        {
            return LucidError.Conflict($"Vault '{vaultId}' is archived; credentials cannot be added to it.");
        }

        if ((Name(request.DisplayName) ?? Rules.Metadata(request.Metadata) ?? CredentialRules.Check(request.Auth, request.Secrets, now)
             ?? await ClashAsync(vaultId, request.Auth, cancellationToken)) is { } error)
        {
            return error;
        }

        var id = _ids.NewId(IdPrefixes.Credential);
        var credential = new VaultCredential
        {
            Id = id,
            VaultId = vaultId,
            WorkspaceId = workspaceId,
            DisplayName = request.DisplayName,
            Metadata = request.Metadata ?? new Dictionary<string, string>(),
            Auth = request.Auth,
            SealedSecrets = _box.Seal(request.Secrets, id),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await _store.CreateCredentialAsync(credential, cancellationToken);
        return credential;
    }

    /// <summary>
    /// Updates a credential with what <paramref name="change"/> makes of its current state and secrets; its type, its MCP
    /// server URL, its variable name and its OAuth client ID cannot change.
    /// </summary>
    public async Task<Result<VaultCredential>> UpdateAsync(
        string workspaceId, string vaultId, string id, Func<VaultCredential, CredentialSecrets, Result<CredentialChanges>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var current = await GetAsync(workspaceId, vaultId, id, cancellationToken);
        if (!current.IsSuccess)
        {
            return current;
        }

        var changes = change(current.Value, _box.Open(current.Value.SealedSecrets, id));
        if (!changes.IsSuccess)
        {
            return changes.Error;
        }

        var (name, metadata, auth, secrets) = changes.Value;
        var previousExpiry = (current.Value.Auth as McpOAuthAuth)?.ExpiresAt;
        if ((Immutable(current.Value.Auth, auth) ?? Name(name) ?? Rules.Metadata(metadata) ?? CredentialRules.Check(auth, secrets, _time.GetUtcNow(), previousExpiry)) is { } error)
        {
            return error;
        }

        var next = current.Value with { DisplayName = name, Metadata = metadata, Auth = auth, SealedSecrets = _box.Seal(secrets, id), UpdatedAt = _time.GetUtcNow() };
        await _store.UpdateCredentialAsync(next, cancellationToken);
        return next;
    }

    /// <summary>Archives a credential: sessions no longer use it.</summary>
    public async Task<Result<VaultCredential>> ArchiveAsync(string workspaceId, string vaultId, string id, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, vaultId, id, cancellationToken);
        if (!current.IsSuccess || current.Value.ArchivedAt is not null)
        {
            return current;
        }

        var now = _time.GetUtcNow();
        var archived = current.Value with { ArchivedAt = now, UpdatedAt = now };
        await _store.UpdateCredentialAsync(archived, cancellationToken);
        return archived;
    }

    /// <summary>Deletes a credential and its sealed secrets.</summary>
    public async Task<Result<VaultCredential>> DeleteAsync(string workspaceId, string vaultId, string id, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, vaultId, id, cancellationToken);
        if (current.IsSuccess)
        {
            await _store.DeleteCredentialAsync(id, cancellationToken);
        }

        return current;
    }

    /// <summary>Returns a credential of the workspace's vault, or a not-found error.</summary>
    public async Task<Result<VaultCredential>> GetAsync(string workspaceId, string vaultId, string id, CancellationToken cancellationToken)
    {
        var credential = await _store.GetCredentialAsync(id, cancellationToken);
        return credential is null || credential.WorkspaceId != workspaceId || credential.VaultId != vaultId ? LucidError.NotFound("Credential", id) : credential;
    }

    /// <summary>Lists the credentials of a vault of the workspace, newest first.</summary>
    public async Task<Result<Page<VaultCredential>>> ListAsync(string workspaceId, string vaultId, bool includeArchived, PageRequest page, CancellationToken cancellationToken)
    {
        var vault = await _vaults.GetAsync(workspaceId, vaultId, cancellationToken);
        return vault.IsSuccess ? await _store.ListCredentialsAsync(vaultId, includeArchived, page, cancellationToken) : vault.Error;
    }

    private static LucidError? Name(string? name) => name is null ? null : VaultService.DisplayName(name);

    private static LucidError? Immutable(CredentialAuth current, CredentialAuth next) => (current, next) switch
    {
        _ when current.GetType() != next.GetType() => LucidError.Invalid("auth.type", "A credential's auth type cannot change; create another credential."),
        _ when current.ServerUrlOrNull() != next.ServerUrlOrNull() => LucidError.Invalid("auth.mcp_server_url", "auth.mcp_server_url cannot change; create another credential."),
        (EnvironmentVariableAuth a, EnvironmentVariableAuth b) when a.SecretName != b.SecretName => LucidError.Invalid("auth.secret_name", "auth.secret_name cannot change; create another credential."),
        (McpOAuthAuth { Refresh: { } a }, McpOAuthAuth { Refresh: { } b }) when a.ClientId != b.ClientId => LucidError.Invalid("auth.refresh.client_id", "auth.refresh.client_id cannot change."),
        _ => null,
    };

    // One active credential per MCP server URL, and one per variable name, in a vault.
    private async Task<LucidError?> ClashAsync(string vaultId, CredentialAuth auth, CancellationToken cancellationToken)
    {
        await foreach (var other in VaultSecrets.All(cursor => _store.ListCredentialsAsync(vaultId, false, new PageRequest(100, cursor), cancellationToken)))
        {
            if (auth.ServerUrlOrNull() is { } url && SameUrl(url, other.Auth.ServerUrlOrNull()))
            {
                return LucidError.Conflict($"Vault '{vaultId}' already has credential '{other.Id}' for {url}; update or archive it.");
            }

            if (auth is EnvironmentVariableAuth mine && other.Auth is EnvironmentVariableAuth theirs && mine.SecretName == theirs.SecretName)
            {
                return LucidError.Conflict($"Vault '{vaultId}' already has credential '{other.Id}' for the variable {mine.SecretName}; update or archive it.");
            }
        }

        return null;
    }

    /// <summary>Whether two MCP server URLs name the same endpoint (scheme and host case and a trailing slash aside).</summary>
    internal static bool SameUrl(string a, string? b) =>
        b is not null && Uri.TryCreate(a, UriKind.Absolute, out var x) && Uri.TryCreate(b, UriKind.Absolute, out var y)
        && string.Equals(x.AbsoluteUri.TrimEnd('/'), y.AbsoluteUri.TrimEnd('/'), StringComparison.Ordinal);
}
