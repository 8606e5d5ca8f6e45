namespace Lucid.Vaults;

/// <summary>
/// The hosts of an <c>environment_variable</c> credential's <c>allowed_hosts</c> that the environment's network policy does
/// not permit. The secret is substituted only on its other hosts; with none left, the credential is left out of the sandbox.
/// </summary>
/// <param name="CredentialId">The credential.</param>
/// <param name="VaultId">Its vault.</param>
/// <param name="SecretName">Its variable's name.</param>
/// <param name="Hosts">The hosts the environment does not permit, as the credential lists them.</param>
/// <param name="LeftOut">Whether none of its hosts is permitted, so the sandbox does not get its variable.</param>
internal sealed record UnreachableCredentialHosts(string CredentialId, string VaultId, string SecretName, IReadOnlyList<string> Hosts, bool LeftOut);
