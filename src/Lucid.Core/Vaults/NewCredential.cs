namespace Lucid.Vaults;

/// <summary>What a caller supplies to create a credential.</summary>
/// <param name="DisplayName">A name for people, or null.</param>
/// <param name="Metadata">Metadata pairs, or null.</param>
/// <param name="Auth">What it authenticates.</param>
/// <param name="Secrets">Its secrets, sealed before they are stored.</param>
public sealed record NewCredential(string? DisplayName, IReadOnlyDictionary<string, string>? Metadata, CredentialAuth Auth, CredentialSecrets Secrets);
