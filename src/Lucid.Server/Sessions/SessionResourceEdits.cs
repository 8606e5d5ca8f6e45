using System.Text.Json.Nodes;
using Lucid.Resources;
using Lucid.Results;
using Lucid.Server.Http;

namespace Lucid.Server.Sessions;

/// <summary>
/// Adds, rotates and deletes a session's resources where its runner is, answering as the API does: the owner's half of
/// <c>POST /v1/sessions/{id}/resources</c>, <c>POST …/resources/{resource_id}</c> and <c>DELETE …/resources/{resource_id}</c>.
/// The file is copied, or the clone removed, on this node's disk, and the runner here takes the change at its next turn.
/// </summary>
internal sealed class SessionResourceEdits(SessionResourceService resources)
{
    public async Task<Result<JsonObject>> AddAsync(string workspaceId, string sessionId, WireObject body, CancellationToken cancellationToken)
    {
        var added = await resources.AddFileAsync(workspaceId, sessionId, SessionResourceWire.ReadFile(body), cancellationToken);
        return added.IsSuccess ? SessionResourceWire.File(added.Value) : added.Error;
    }

    public async Task<Result<JsonObject>> RotateTokenAsync(string workspaceId, string sessionId, string resourceId, CancellationToken cancellationToken)
    {
        var rotated = await resources.RotateTokenAsync(workspaceId, sessionId, resourceId, cancellationToken);
        return rotated.IsSuccess ? SessionResourceWire.Repository(rotated.Value) : rotated.Error;
    }

    public async Task<Result<JsonObject>> DeleteAsync(string workspaceId, string sessionId, string resourceId, CancellationToken cancellationToken)
    {
        var deleted = await resources.DeleteAsync(workspaceId, sessionId, resourceId, cancellationToken);
        return deleted.IsSuccess ? new JsonObject { ["type"] = "session_resource_deleted", ["id"] = deleted.Value } : deleted.Error;
    }
}
