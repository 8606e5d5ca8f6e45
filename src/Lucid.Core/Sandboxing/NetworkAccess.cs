namespace Lucid.Sandboxing;

/// <summary>What network a session's sandboxed processes may reach.</summary>
public enum NetworkAccess
{
    /// <summary>
    /// None: the sandbox has a network namespace of its own with nothing but its own loopback, so neither the host's
    /// services (loopback included) nor the outside world can be reached. The default.
    /// </summary>
    None,

    /// <summary>The host's network, as the server itself sees it.</summary>
    Unrestricted,
}
