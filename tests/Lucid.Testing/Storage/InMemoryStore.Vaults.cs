using Lucid.Storage;
using Lucid.Vaults;
using Lucid.Webhooks;

namespace Lucid.Testing.Storage;

public sealed partial class InMemoryStore
{
    private readonly Dictionary<string, Vault> _vaults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VaultCredential> _credentials = new(StringComparer.Ordinal);

    public Task CreateVaultAsync(Vault vault, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Like the real stores' unique key.
            if (!_vaults.TryAdd(vault.Id, vault))
            {
                throw new InvalidOperationException($"Vault '{vault.Id}' already exists.");
            }

            RecordWebhooks([WebhookTriggers.OfNewVault(vault)]);
        }

        return Task.CompletedTask;
    }

    public Task<bool> UpdateVaultAsync(Vault vault, CancellationToken cancellationToken) =>
        Task.FromResult(Replace(_vaults, vault.Id, vault, WebhookTriggers.OfVaultChange));

    public Task<Vault?> GetVaultAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_vaults.GetValueOrDefault(id));
        }
    }

    public Task<Page<Vault>> ListVaultsAsync(string workspaceId, bool includeArchived, PageRequest page, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Paginate(
                _vaults.Values.Where(v => v.WorkspaceId == workspaceId && (includeArchived || v.ArchivedAt is null))
                    .OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id, StringComparer.Ordinal).ToList(),
                page));
        }
    }

    public Task<bool> DeleteVaultAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var credential in _credentials.Values.Where(c => c.VaultId == id).ToList())
            {
                _credentials.Remove(credential.Id);
            }

            if (!_vaults.Remove(id, out var vault))
            {
                return Task.FromResult(false);
            }

            RecordWebhooks([WebhookTriggers.OfDeletedVault(vault, Clock.GetUtcNow())]);
            return Task.FromResult(true);
        }
    }

    public Task CreateCredentialAsync(VaultCredential credential, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Like the real stores' keys: unique, and in a vault that exists.
            if (!_vaults.ContainsKey(credential.VaultId) || !_credentials.TryAdd(credential.Id, credential))
            {
                throw new InvalidOperationException($"Credential '{credential.Id}' already exists or its vault does not.");
            }

            RecordWebhooks([WebhookTriggers.OfNewCredential(credential)]);
        }

        return Task.CompletedTask;
    }

    public Task<bool> UpdateCredentialAsync(VaultCredential credential, CancellationToken cancellationToken) =>
        Task.FromResult(Replace(_credentials, credential.Id, credential, WebhookTriggers.OfCredentialChange));

    public Task RecordRefreshFailureAsync(VaultCredential credential, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            RecordWebhooks([WebhookTriggers.OfCredentialRefreshFailure(credential, at)]);
        }

        return Task.CompletedTask;
    }

    public Task<VaultCredential?> GetCredentialAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_credentials.GetValueOrDefault(id));
        }
    }

    public Task<Page<VaultCredential>> ListCredentialsAsync(string vaultId, bool includeArchived, PageRequest page, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Paginate(
                _credentials.Values.Where(c => c.VaultId == vaultId && (includeArchived || c.ArchivedAt is null))
                    .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id, StringComparer.Ordinal).ToList(),
                page));
        }
    }

    public Task<bool> DeleteCredentialAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_credentials.Remove(id, out var credential))
            {
                return Task.FromResult(false);
            }

            RecordWebhooks([WebhookTriggers.OfDeletedCredential(credential, Clock.GetUtcNow())]);
            return Task.FromResult(true);
        }
    }

    // Replaces an item, recording the webhook events its change makes (when given a trigger).
    private bool Replace<T>(Dictionary<string, T> items, string id, T item, Func<T, T, IEnumerable<WebhookEvent>>? trigger = null)
    {
        lock (_lock)
        {
            if (!items.TryGetValue(id, out var before))
            {
                return false;
            }

            if (trigger is not null)
            {
                RecordWebhooks(trigger(before, item));
            }

            items[id] = item;
            return true;
        }
    }
}
