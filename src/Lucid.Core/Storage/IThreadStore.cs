using Lucid.Threads;

namespace Lucid.Storage;

/// <summary>
/// Persists a session's child threads. A thread's status, usage and last sequence change only through
/// <see cref="IEventLog.AppendAsync"/> with the thread's ID as the log key.
/// </summary>
public interface IThreadStore
{
    /// <summary>Stores a new thread with an empty log.</summary>
    /// <exception cref="KeyNotFoundException">Its session does not exist.</exception>
    Task CreateThreadAsync(SessionThread thread, CancellationToken cancellationToken);

    /// <summary>Returns a thread, or null.</summary>
    Task<SessionThread?> GetThreadAsync(string id, CancellationToken cancellationToken);

    /// <summary>Lists a session's child threads in the order they were created.</summary>
    Task<IReadOnlyList<SessionThread>> ListThreadsAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Lists the threads of every session that were running (or rescheduling) when they last changed, for restart recovery.</summary>
    Task<IReadOnlyList<SessionThread>> ListRunningThreadsAsync(CancellationToken cancellationToken);

    /// <summary>Marks a thread archived. Returns false when absent.</summary>
    Task<bool> ArchiveThreadAsync(string id, DateTimeOffset archivedAt, CancellationToken cancellationToken);
}
