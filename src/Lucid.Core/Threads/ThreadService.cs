using Lucid.Results;
using Lucid.Sessions;
using Lucid.Storage;

namespace Lucid.Threads;

/// <summary>A session's child threads as the API sees them: list, retrieve, archive.</summary>
public sealed class ThreadService
{
    private readonly IThreadStore _threads;
    private readonly TimeProvider _time;

    internal ThreadService(IThreadStore threads, TimeProvider time)
    {
        _threads = threads;
        _time = time;
    }

    /// <summary>A session's child threads in the order they were created. The caller has checked the session.</summary>
    public Task<IReadOnlyList<SessionThread>> ListAsync(Session session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return _threads.ListThreadsAsync(session.Id, cancellationToken);
    }

    /// <summary>A child thread of the session, or a not-found error.</summary>
    public async Task<Result<SessionThread>> GetAsync(Session session, string threadId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var thread = await _threads.GetThreadAsync(threadId, cancellationToken);
        return thread is null || thread.SessionId != session.Id ? LucidError.NotFound("Thread", threadId) : thread;
    }

    /// <summary>Archives a child thread that is not running; archiving an archived thread changes nothing.</summary>
    public async Task<Result<SessionThread>> ArchiveAsync(Session session, string threadId, CancellationToken cancellationToken)
    {
        var found = await GetAsync(session, threadId, cancellationToken);
        if (!found.IsSuccess || found.Value.ArchivedAt is not null)
        {
            return found;
        }

        var thread = found.Value;
        if (thread.Status is SessionStatus.Running or SessionStatus.Rescheduling)
        {
            return LucidError.Conflict($"Thread '{thread.Id}' is running; interrupt the session and wait for the thread to stop before archiving it.");
        }

        var now = _time.GetUtcNow();
        await _threads.ArchiveThreadAsync(thread.Id, now, cancellationToken);
        return thread with { ArchivedAt = now, UpdatedAt = now };
    }
}
