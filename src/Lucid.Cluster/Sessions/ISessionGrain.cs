using Lucid.Cluster.Previews;

namespace Lucid.Cluster.Sessions;

/// <summary>
/// A session's owner in the cluster: the node this grain is active on runs the session's runner, and its threads'. Its
/// key is the session's ID. Orleans keeps at most one activation of it in the cluster, so one node runs the session's
/// turns at a time.
/// </summary>
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>Activates the grain here: the node that created the session owns it.</summary>
    Task ClaimAsync();

    /// <summary>
    /// Sends input events, a <c>POST …/events</c> body as JSON text with the IDs the receiving node gave them, to the
    /// session on its owner; <paramref name="resent"/> when an earlier try may have been committed by an owner that died.
    /// </summary>
    Task<OwnerAnswer> SendAsync(string workspaceId, string body, string[] eventIds, bool resent);

    /// <summary>Resumes the session on its owner if it was running when its node stopped; whether it was rescheduled.</summary>
    Task<bool> ResumeAsync();

    /// <summary>Updates the session on its owner with a <c>POST /v1/sessions/{id}</c> body as JSON text.</summary>
    Task<OwnerAnswer> UpdateAsync(string workspaceId, string body);

    /// <summary>Archives the session on its owner, stopping its runners there.</summary>
    Task<OwnerAnswer> ArchiveAsync(string workspaceId);

    /// <summary>Deletes the session on its owner, stopping its runners there first.</summary>
    Task<OwnerAnswer> DeleteAsync(string workspaceId);

    /// <summary>
    /// Starts or renews <paramref name="node"/>'s watch of the previews of events of <paramref name="types"/> in a log of
    /// the session (its own or a thread's): the owner relays them to <paramref name="watcher"/> (<see cref="PreviewRelays"/>).
    /// </summary>
    Task WatchPreviewsAsync(string logId, string[] types, IPreviewWatcher watcher, SiloAddress node);

    /// <summary>Ends a watch of a log's previews.</summary>
    Task UnwatchPreviewsAsync(string logId, IPreviewWatcher watcher);

    /// <summary>Adds a file resource to the session on its owner, with a <c>POST …/resources</c> body as JSON text.</summary>
    Task<OwnerAnswer> AddResourceAsync(string workspaceId, string body);

    /// <summary>Takes a repository resource's new token on the session's owner.</summary>
    Task<OwnerAnswer> RotateResourceTokenAsync(string workspaceId, string resourceId);

    /// <summary>Deletes a resource of the session on its owner.</summary>
    Task<OwnerAnswer> DeleteResourceAsync(string workspaceId, string resourceId);
}
