using System.Text.Json.Nodes;
using Lucid.Agents;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Sessions;
using Lucid.Storage;

namespace Lucid.Server.Sessions;

/// <summary>
/// Updates, archives and deletes a session whose runner is in this process, answering as the API does: the owner's
/// half of <c>POST /v1/sessions/{id}</c>, <c>POST …/archive</c> and <c>DELETE /v1/sessions/{id}</c>.
/// </summary>
internal sealed class SessionEdits(SessionService sessions, ILucidStore store, AgentVersions agents, TimeProvider time)
{
    public async Task<Result<JsonObject>> UpdateAsync(string workspaceId, string sessionId, WireObject body, CancellationToken cancellationToken) =>
        await ToJsonAsync(await sessions.UpdateAsync(workspaceId, sessionId, SessionUpdateWire.Read(body), cancellationToken), cancellationToken);

    public async Task<Result<JsonObject>> ArchiveAsync(string workspaceId, string sessionId, CancellationToken cancellationToken) =>
        await ToJsonAsync(await sessions.ArchiveAsync(workspaceId, sessionId, cancellationToken), cancellationToken);

    public async Task<Result<JsonObject>> DeleteAsync(string workspaceId, string sessionId, CancellationToken cancellationToken)
    {
        var deleted = await sessions.DeleteAsync(workspaceId, sessionId, cancellationToken);
        return deleted.IsSuccess ? new JsonObject { ["type"] = "session_deleted", ["id"] = deleted.Value.Id } : deleted.Error;
    }

    private async Task<Result<JsonObject>> ToJsonAsync(Result<Session> session, CancellationToken cancellationToken) =>
        session.IsSuccess ? await SessionEndpoints.ToJsonAsync(store, agents, session.Value, time.GetUtcNow(), cancellationToken) : session.Error;
}
