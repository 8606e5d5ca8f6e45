namespace Lucid.Vaults;

/// <summary>
/// A secret put into the session's sandbox as an environment variable. Lucid sets the variable to the secret itself
/// (the hosted API sets a placeholder and substitutes the secret into outbound requests); <see cref="AllowedHosts"/> and
/// the injection locations are kept and returned, and the environment's network policy bounds where the secret can go.
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
