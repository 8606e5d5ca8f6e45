namespace Lucid.Sandboxing;

/// <summary>
/// A vault's <c>environment_variable</c> credential as a sandbox uses it: the variable <see cref="Name"/> holds
/// <see cref="Placeholder"/>, never <see cref="Value"/>, and the egress proxy puts the value in place of the placeholder
/// in the header values (<see cref="InHeaders"/>) and bodies (<see cref="InBody"/>) of requests to <see cref="Hosts"/>.
/// </summary>
/// <param name="CredentialId">The credential, which names the placeholder and the proxy's log lines.</param>
/// <param name="Name">The variable's name.</param>
/// <param name="Value">The secret.</param>
/// <param name="Hosts">The hosts it is substituted on (every host the environment reaches, for <c>unrestricted</c>).</param>
/// <param name="InHeaders">Whether it is substituted in header values.</param>
/// <param name="InBody">Whether it is substituted in request bodies of a known length (see <see cref="ProxyBody"/>).</param>
public sealed record SandboxSecret(string CredentialId, string Name, string Value, EgressRules Hosts, bool InHeaders, bool InBody)
{
    /// <summary>What the sandbox's variable holds instead of the secret: public, and unique to the credential.</summary>
    public string Placeholder => $"lucid_placeholder_{CredentialId}";

    /// <summary>Whether the proxy substitutes it into requests to <paramref name="host"/>.</summary>
    public bool SubstitutedOn(string host) => (InHeaders || InBody) && Hosts.Allows(host);

    /// <inheritdoc />
    public override string ToString() => $"{Name} (credential {CredentialId})";
}
