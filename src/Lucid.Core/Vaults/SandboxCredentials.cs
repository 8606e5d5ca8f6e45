using Lucid.Sandboxing;

namespace Lucid.Vaults;

/// <summary>What a session's sandbox gets of its vaults' <c>environment_variable</c> credentials, and which of their hosts it cannot reach.</summary>
/// <param name="Secrets">The variables, each substituted on its hosts that the environment permits.</param>
/// <param name="Unreachable">The credentials with hosts the environment does not permit.</param>
internal sealed record SandboxCredentials(IReadOnlyList<SandboxSecret> Secrets, IReadOnlyList<UnreachableCredentialHosts> Unreachable)
{
    /// <summary>No credentials.</summary>
    public static SandboxCredentials None { get; } = new([], []);
}
