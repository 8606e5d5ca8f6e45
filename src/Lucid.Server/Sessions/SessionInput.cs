using System.Text.Json.Nodes;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Sessions;

namespace Lucid.Server.Sessions;

/// <summary>Sends input events to a session whose runner is in this process: the owner's half of <c>POST /v1/sessions/{id}/events</c>.</summary>
internal sealed class SessionInput(SessionService sessions)
{
    public async Task<Result<JsonArray>> SendAsync(string workspaceId, string sessionId, WireObject body, CancellationToken cancellationToken)
    {
        var sent = await sessions.SendAsync(workspaceId, sessionId, EventWire.ReadSend(body), cancellationToken);
        return sent.IsSuccess ? new JsonArray([.. sent.Value.Select(EventWire.ToJson)]) : sent.Error;
    }
}
