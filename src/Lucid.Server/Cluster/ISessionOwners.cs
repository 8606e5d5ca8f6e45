using System.Text.Json.Nodes;
using Lucid.Results;
using Lucid.Server.Http;

namespace Lucid.Server.Cluster;

/// <summary>
/// The engine work a session's owner does: the node whose runner runs the session's turns. On a single node that is
/// this one; in a cluster, the node its session grain lives on.
/// </summary>
internal interface ISessionOwners
{
    /// <summary>Sends input events (a <c>POST …/events</c> body, already read) to the session on its owner; answers the events it committed, as on the wire.</summary>
    Task<Result<JsonArray>> SendAsync(string workspaceId, string sessionId, WireObject body, CancellationToken cancellationToken);

    /// <summary>Resumes the sessions that were running when their node stopped, each on the node that comes to own it; returns how many were rescheduled.</summary>
    Task<int> RecoverAsync(CancellationToken cancellationToken);

    /// <summary>Updates the session on its owner (a <c>POST /v1/sessions/{id}</c> body, already read); answers the session as on the wire.</summary>
    Task<Result<JsonObject>> UpdateAsync(string workspaceId, string sessionId, WireObject body, CancellationToken cancellationToken);

    /// <summary>Archives the session on its owner, which stops its runners; answers the session as on the wire.</summary>
    Task<Result<JsonObject>> ArchiveAsync(string workspaceId, string sessionId, CancellationToken cancellationToken);

    /// <summary>Deletes the session on its owner, which stops its runners first; answers the deletion as on the wire.</summary>
    Task<Result<JsonObject>> DeleteAsync(string workspaceId, string sessionId, CancellationToken cancellationToken);

    /// <summary>Adds a file resource to the session on its owner (a <c>POST …/resources</c> body, already read); answers the resource as on the wire.</summary>
    Task<Result<JsonObject>> AddResourceAsync(string workspaceId, string sessionId, WireObject body, CancellationToken cancellationToken);

    /// <summary>Takes a repository resource's new token on the session's owner (the body already read); answers the resource as on the wire.</summary>
    Task<Result<JsonObject>> RotateResourceTokenAsync(string workspaceId, string sessionId, string resourceId, CancellationToken cancellationToken);

    /// <summary>Deletes a resource of the session on its owner; answers the deletion as on the wire.</summary>
    Task<Result<JsonObject>> DeleteResourceAsync(string workspaceId, string sessionId, string resourceId, CancellationToken cancellationToken);
}
