namespace Lucid.Vaults;

/// <summary>A fixed token sent to one MCP server as <c>Authorization: Bearer …</c>.</summary>
public sealed record StaticBearerAuth : CredentialAuth
{
    /// <summary>The wire type.</summary>
    public const string TypeName = "static_bearer";

    /// <summary>The MCP server's URL (immutable).</summary>
    public required string ServerUrl { get; init; }

    /// <inheritdoc />
    public override string? ServerUrlOrNull() => ServerUrl;
}
