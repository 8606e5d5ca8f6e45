using Lucid.Sessions;

namespace Lucid.Storage;

/// <summary>Persists sessions. A session's status, usage and last sequence change only through <see cref="IEventLog.AppendAsync"/>.</summary>
public interface ISessionStore
{
    /// <summary>Stores a new session with an empty log.</summary>
    Task CreateSessionAsync(Session session, CancellationToken cancellationToken);

    /// <summary>Returns a session, or null.</summary>
    Task<Session?> GetSessionAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Lists the sessions of a workspace (or of every workspace when <paramref name="workspaceId"/> is null) that match
    /// <paramref name="query"/>, newest first unless the query asks otherwise.
    /// </summary>
    Task<Page<Session>> ListSessionsAsync(string? workspaceId, SessionQuery query, PageRequest page, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the caller-editable fields of a session (title, metadata, budget, file and repository resources, archived_at,
    /// updated_at); status, usage and
    /// the log are left as stored. Returns false when absent.
    /// </summary>
    Task<bool> UpdateSessionAsync(Session session, CancellationToken cancellationToken);

    /// <summary>Deletes a session and its whole log. Returns false when absent.</summary>
    Task<bool> DeleteSessionAsync(string id, CancellationToken cancellationToken);
}
