namespace Lucid.Vaults;

/// <summary>An OAuth access token for one MCP server, refreshed at the token endpoint when it has expired.</summary>
public sealed record McpOAuthAuth : CredentialAuth
{
    /// <summary>The wire type.</summary>
    public const string TypeName = "mcp_oauth";

    /// <summary>The MCP server's URL (immutable).</summary>
    public required string ServerUrl { get; init; }

    /// <inheritdoc />
    public override string? ServerUrlOrNull() => ServerUrl;

    /// <summary>When the access token expires, or null when unknown (then it is never refreshed ahead of use).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>How to refresh the token, or null when it cannot be.</summary>
    public OAuthRefresh? Refresh { get; init; }
}
