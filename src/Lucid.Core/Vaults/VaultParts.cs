using Lucid.Storage;

namespace Lucid.Vaults;

/// <summary>What sessions use to read their vaults' credentials: the store, the vault key, the token refresher and the clock.</summary>
/// <param name="Store">Where vaults and credentials are kept.</param>
/// <param name="Box">The vault key.</param>
/// <param name="Refresher">Refreshes OAuth access tokens.</param>
/// <param name="Time">The clock.</param>
public sealed record VaultParts(IVaultStore Store, SecretBox Box, OAuthRefresher Refresher, TimeProvider Time);
