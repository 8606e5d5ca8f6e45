namespace Lucid.Vaults;

/// <summary>How an <see cref="McpOAuthAuth"/> token is refreshed (the refresh token and client secret are sealed apart).</summary>
public sealed record OAuthRefresh
{
    /// <summary>The OAuth client ID (immutable).</summary>
    public required string ClientId { get; init; }

    /// <summary>The token endpoint's URL.</summary>
    public required string TokenEndpoint { get; init; }

    /// <summary>How the client authenticates to the token endpoint.</summary>
    public TokenEndpointAuthMethod AuthMethod { get; init; } = TokenEndpointAuthMethod.None;

    /// <summary>The resource indicator sent with refreshes, or null.</summary>
    public string? Resource { get; init; }

    /// <summary>The scope sent with refreshes, or null.</summary>
    public string? Scope { get; init; }
}
