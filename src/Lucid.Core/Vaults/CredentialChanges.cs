namespace Lucid.Vaults;

/// <summary>
/// What an update makes of a credential, from its current state: the new public part and secrets. Built by the caller
/// from the request's patch; <see cref="CredentialService"/> checks that the type and the immutable fields are unchanged.
/// </summary>
/// <param name="DisplayName">The name, or null for none.</param>
/// <param name="Metadata">The metadata pairs.</param>
/// <param name="Auth">The public part of its auth.</param>
/// <param name="Secrets">Its secrets.</param>
public sealed record CredentialChanges(string? DisplayName, IReadOnlyDictionary<string, string> Metadata, CredentialAuth Auth, CredentialSecrets Secrets);
