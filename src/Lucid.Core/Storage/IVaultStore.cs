using Lucid.Vaults;

namespace Lucid.Storage;

/// <summary>Persists vaults and their credentials (secrets only sealed).</summary>
public interface IVaultStore
{
    /// <summary>Stores a new vault.</summary>
    Task CreateVaultAsync(Vault vault, CancellationToken cancellationToken);

    /// <summary>Replaces a stored vault. Returns false when absent.</summary>
    Task<bool> UpdateVaultAsync(Vault vault, CancellationToken cancellationToken);

    /// <summary>Returns a vault, or null.</summary>
    Task<Vault?> GetVaultAsync(string id, CancellationToken cancellationToken);

    /// <summary>Lists a workspace's vaults, newest first.</summary>
    Task<Page<Vault>> ListVaultsAsync(string workspaceId, bool includeArchived, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Deletes a vault and its credentials. Returns false when absent.</summary>
    Task<bool> DeleteVaultAsync(string id, CancellationToken cancellationToken);

    /// <summary>Stores a new credential.</summary>
    Task CreateCredentialAsync(VaultCredential credential, CancellationToken cancellationToken);

    /// <summary>Replaces a stored credential. Returns false when absent.</summary>
    Task<bool> UpdateCredentialAsync(VaultCredential credential, CancellationToken cancellationToken);

    /// <summary>
    /// Records that refreshing the credential's OAuth access token failed at <paramref name="at"/>: the credential stays
    /// as it is, and its <c>vault_credential.refresh_failed</c> webhook event is recorded.
    /// </summary>
    Task RecordRefreshFailureAsync(VaultCredential credential, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Returns a credential, or null.</summary>
    Task<VaultCredential?> GetCredentialAsync(string id, CancellationToken cancellationToken);

    /// <summary>Lists a vault's credentials, newest first.</summary>
    Task<Page<VaultCredential>> ListCredentialsAsync(string vaultId, bool includeArchived, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Deletes a credential. Returns false when absent.</summary>
    Task<bool> DeleteCredentialAsync(string id, CancellationToken cancellationToken);
}
