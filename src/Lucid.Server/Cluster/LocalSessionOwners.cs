using System.Text.Json.Nodes;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Server.Sessions;
using Lucid.Sessions;

namespace Lucid.Server.Cluster;

/// <summary>A single node owns every session: the work is done here.</summary>
internal sealed class LocalSessionOwners(SessionInput input, SessionEdits edits, SessionResourceEdits resources, SessionEngine engine) : ISessionOwners
{
    public Task<Result<JsonArray>> SendAsync(string workspaceId, string sessionId, WireObject body, CancellationToken cancellationToken) =>
        input.SendAsync(workspaceId, sessionId, body, cancellationToken);

    public Task<int> RecoverAsync(CancellationToken cancellationToken) => engine.RecoverAsync(cancellationToken);

    public Task<Result<JsonObject>> UpdateAsync(string workspaceId, string sessionId, WireObject body, CancellationToken cancellationToken) =>
        edits.UpdateAsync(workspaceId, sessionId, body, cancellationToken);

    public Task<Result<JsonObject>> ArchiveAsync(string workspaceId, string sessionId, CancellationToken cancellationToken) =>
        edits.ArchiveAsync(workspaceId, sessionId, cancellationToken);

    public Task<Result<JsonObject>> DeleteAsync(string workspaceId, string sessionId, CancellationToken cancellationToken) =>
        edits.DeleteAsync(workspaceId, sessionId, cancellationToken);

    public Task<Result<JsonObject>> AddResourceAsync(string workspaceId, string sessionId, WireObject body, CancellationToken cancellationToken) =>
        resources.AddAsync(workspaceId, sessionId, body, cancellationToken);

    public Task<Result<JsonObject>> RotateResourceTokenAsync(string workspaceId, string sessionId, string resourceId, CancellationToken cancellationToken) =>
        resources.RotateTokenAsync(workspaceId, sessionId, resourceId, cancellationToken);

    public Task<Result<JsonObject>> DeleteResourceAsync(string workspaceId, string sessionId, string resourceId, CancellationToken cancellationToken) =>
        resources.DeleteAsync(workspaceId, sessionId, resourceId, cancellationToken);
}
