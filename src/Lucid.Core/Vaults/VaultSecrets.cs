using Lucid.Secrets;
using Lucid.Storage;

namespace Lucid.Vaults;

/// <summary>The secret values of a workspace's vaults, so that the secret scanner knows them by value.</summary>
public static class VaultSecrets
{
    /// <summary>Every secret of every credential (archived ones included) of every vault of <paramref name="workspaceId"/>.</summary>
    public static async Task<IReadOnlyList<KnownSecret>> OfWorkspaceAsync(IVaultStore store, SecretBox box, string workspaceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(box);
        var secrets = new List<KnownSecret>();
        await foreach (var vault in All(cursor => store.ListVaultsAsync(workspaceId, true, new PageRequest(100, cursor), cancellationToken)))
        {
            await foreach (var credential in All(cursor => store.ListCredentialsAsync(vault.Id, true, new PageRequest(100, cursor), cancellationToken)))
            {
                secrets.AddRange(box.Open(credential.SealedSecrets, credential.Id).Values().Select(v => new KnownSecret($"secret of credential {credential.Id}", v)));
            }
        }

        return secrets;
    }

    /// <summary>Every item of a paged list, page by page.</summary>
    internal static async IAsyncEnumerable<T> All<T>(Func<string?, Task<Page<T>>> list)
    {
        string? cursor = null;
        do
        {
            var page = await list(cursor);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            cursor = page.NextPage;
        }
        while (cursor is not null);
    }
}
