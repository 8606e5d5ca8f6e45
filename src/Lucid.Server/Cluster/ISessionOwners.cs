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
}
