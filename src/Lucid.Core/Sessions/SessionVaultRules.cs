using Lucid.Ids;
using Lucid.Results;

namespace Lucid.Sessions;

/// <summary>Which vaults a session may name.</summary>
internal static class SessionVaultRules
{
    // Every vault a session names must be the workspace's and active; the same vault twice is a mistake worth naming.
    public static async Task<LucidError?> ErrorAsync(Storage.ILucidStore store, string workspaceId, IReadOnlyList<string> vaultIds, CancellationToken cancellationToken)
    {
        if (vaultIds.Count > SessionDefinition.MaxVaults)
        {
            return LucidError.Invalid("vault_ids", $"A session may name at most {SessionDefinition.MaxVaults} vaults; got {vaultIds.Count}.");
        }

        for (var i = 0; i < vaultIds.Count; i++)
        {
            var id = vaultIds[i];
            if (!IdPrefixes.Has(id, IdPrefixes.Vault))
            {
                return LucidError.Invalid($"vault_ids[{i}]", $"'{id}' is not a vault ID (vlt_…).");
            }

            if (vaultIds.Take(i).Contains(id, StringComparer.Ordinal))
            {
                return LucidError.Invalid($"vault_ids[{i}]", $"Vault '{id}' is named twice.");
            }

            var vault = await store.GetVaultAsync(id, cancellationToken);
            if (vault is null || vault.WorkspaceId != workspaceId)
            {
                return LucidError.NotFound("Vault", id);
            }

            if (vault.ArchivedAt is not null)
            {
                return LucidError.Invalid($"vault_ids[{i}]", $"Vault '{id}' is archived; sessions can no longer use it.");
            }
        }

        return null;
    }
}
