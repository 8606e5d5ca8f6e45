namespace Lucid.Vaults;

/// <summary>
/// A credential in a vault: what it authenticates (<see cref="Auth"/>, never secret) and its secrets, sealed with the
/// server's vault key (<see cref="SecretBox"/>). The store only ever holds <see cref="SealedSecrets"/>.
/// </summary>
public sealed record VaultCredential : IWorkspaceResource
{
    /// <summary>The credential's ID (<c>vcrd_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The vault it belongs to.</summary>
    public required string VaultId { get; init; }

    /// <summary>The tenant workspace (the vault's).</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>A name for people, or null.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Metadata pairs.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>What it authenticates, and how; no secret.</summary>
    public required CredentialAuth Auth { get; init; }

    /// <summary>The <see cref="CredentialSecrets"/>, sealed (AES-GCM, bound to the credential's ID).</summary>
    public required string SealedSecrets { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last changed (a refreshed token included).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it was archived, or null. An archived credential is not used.</summary>
    public DateTimeOffset? ArchivedAt { get; init; }
}
