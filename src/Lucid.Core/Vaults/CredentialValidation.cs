namespace Lucid.Vaults;

/// <summary>The result of probing an <c>mcp_oauth</c> credential against its MCP server (<c>mcp_oauth_validate</c>).</summary>
public sealed record CredentialValidation
{
    /// <summary>The credential probed.</summary>
    public required string CredentialId { get; init; }

    /// <summary>Its vault.</summary>
    public required string VaultId { get; init; }

    /// <summary>Whether it has a refresh token and a refresh configuration.</summary>
    public required bool HasRefreshToken { get; init; }

    /// <summary>The overall verdict.</summary>
    public required CredentialValidationStatus Status { get; init; }

    /// <summary>The MCP step that failed, or null when the probe succeeded or there was no access token to test.</summary>
    public McpProbeFailure? McpProbe { get; init; }

    /// <summary>The refresh tried after the server refused the access token, or null when none was tried.</summary>
    public RefreshAttempt? Refresh { get; init; }

    /// <summary>When the probe ran.</summary>
    public required DateTimeOffset ValidatedAt { get; init; }
}
