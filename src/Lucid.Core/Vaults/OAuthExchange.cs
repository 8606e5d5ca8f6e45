namespace Lucid.Vaults;

/// <summary>What one refresh-token exchange at a token endpoint came to.</summary>
public sealed record OAuthExchange
{
    /// <summary>The new secrets and the access token's expiry, when the endpoint gave an access token.</summary>
    public (CredentialSecrets Secrets, DateTimeOffset? ExpiresAt)? Refreshed { get; init; }

    /// <summary>Why there is no new token (never a secret), or null.</summary>
    public string? Failure { get; init; }

    /// <summary>The endpoint's answer when it refused, or null.</summary>
    public CapturedResponse? Response { get; init; }

    /// <summary>Whether the endpoint could not be reached (connection, TLS or time-out).</summary>
    public bool Unreachable { get; init; }
}
