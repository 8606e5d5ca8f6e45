namespace Lucid.Sessions;

/// <summary>
/// Where a session's runner lives when several processes serve one store: a cluster makes the process that creates a
/// session its owner before the session's runner starts, so that every later input reaches that runner. A single
/// process owns every session and needs none.
/// </summary>
public interface ISessionPlacement
{
    /// <summary>Makes this process the owner of <paramref name="sessionId"/>, a session just created here.</summary>
    Task ClaimAsync(string sessionId, CancellationToken cancellationToken);
}
