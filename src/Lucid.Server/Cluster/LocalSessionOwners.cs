using System.Text.Json.Nodes;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Server.Sessions;
using Lucid.Sessions;

namespace Lucid.Server.Cluster;

/// <summary>A single node owns every session: the work is done here.</summary>
internal sealed class LocalSessionOwners(SessionInput input, SessionEngine engine) : ISessionOwners
{
    public Task<Result<JsonArray>> SendAsync(string workspaceId, string sessionId, WireObject body, CancellationToken cancellationToken) =>
        input.SendAsync(workspaceId, sessionId, body, cancellationToken);

    public Task<int> RecoverAsync(CancellationToken cancellationToken) => engine.RecoverAsync(cancellationToken);
}
