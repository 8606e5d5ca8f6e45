namespace Lucid.Events;

/// <summary>
/// The previews of logs whose runners run in another process: in a cluster, a session's owner produces them, and a node
/// that streams the session without running it asks the owner for them. A single process needs none.
/// </summary>
public interface IRemotePreviews
{
    /// <summary>
    /// Asks for the previews of events of <paramref name="types"/> of a log, wherever its runner runs, and hands each to
    /// <paramref name="hub"/>'s <see cref="EventHub.Preview"/> until the handle is disposed. It answers once the runner's
    /// process has heard (or after a short wait, if that process does not answer soon; it keeps asking). Best-effort: a
    /// preview that is lost or late only ends that event's preview early.
    /// </summary>
    Task<IDisposable> WatchAsync(LogId logId, IReadOnlySet<string> types, EventHub hub, CancellationToken cancellationToken);
}
