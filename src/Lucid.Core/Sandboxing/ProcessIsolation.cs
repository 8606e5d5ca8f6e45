namespace Lucid.Sandboxing;

/// <summary>How the processes a session starts (the <c>bash</c> tool, outcome command checks) are run.</summary>
public enum ProcessIsolation
{
    /// <summary>Each in a bubblewrap sandbox of the session: the default.</summary>
    Sandboxed,

    /// <summary>Not at all: no sandbox can be made here and the operator did not opt out, so those tools are refused.</summary>
    Refused,

    /// <summary>
    /// Directly on the host as the server's user, with its environment, confined by nothing but the working directory:
    /// the operator opted out (<c>--unsafe-no-sandbox</c>).
    /// </summary>
    Unsandboxed,
}
