namespace Lucid.Vaults;

/// <summary>
/// A secret put into the session's sandbox as an environment variable that holds a placeholder; the egress proxy puts the
/// secret in its place in requests to those of <see cref="AllowedHosts"/> that the environment's network policy permits.
/// </summary>
public sealed record EnvironmentVariableAuth : CredentialAuth
{
    /// <summary>The wire type.</summary>
    public const string TypeName = "environment_variable";

    /// <summary>The variable's name (immutable).</summary>
    public required string SecretName { get; init; }

    /// <summary>The hosts the secret is meant for (<c>networking.type = limited</c>), or null for <c>unrestricted</c>.</summary>
    public IReadOnlyList<string>? AllowedHosts { get; init; }

    /// <summary>Whether the secret may go in request headers.</summary>
    public bool InHeaders { get; init; } = true;

    /// <summary>Whether the secret may go in request bodies.</summary>
    public bool InBody { get; init; }
}
