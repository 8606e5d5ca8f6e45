using System.Text.Json.Serialization;

namespace Lucid.Vaults;

/// <summary>What a credential authenticates, and how: the API's <c>auth</c> object without its secrets.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(StaticBearerAuth), StaticBearerAuth.TypeName)]
[JsonDerivedType(typeof(McpOAuthAuth), McpOAuthAuth.TypeName)]
[JsonDerivedType(typeof(EnvironmentVariableAuth), EnvironmentVariableAuth.TypeName)]
public abstract record CredentialAuth
{
    /// <summary>The MCP server URL it authenticates against, or null for a sandbox variable.</summary>
    public virtual string? ServerUrlOrNull() => null;
}
