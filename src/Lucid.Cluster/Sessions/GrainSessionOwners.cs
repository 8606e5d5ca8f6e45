using System.Text.Json.Nodes;
using Lucid.Results;
using Lucid.Server.Cluster;
using Lucid.Server.Http;
using Lucid.Sessions;
using Microsoft.Extensions.Logging;

namespace Lucid.Cluster.Sessions;

/// <summary>Routes a session's engine work to its <see cref="ISessionGrain"/>, on whichever node owns the session.</summary>
internal sealed partial class GrainSessionOwners(IGrainFactory grains, SessionEngine engine, ILogger<GrainSessionOwners> logger) : ISessionOwners
{
    public async Task<Result<JsonArray>> SendAsync(string workspaceId, string sessionId, WireObject body, CancellationToken cancellationToken)
    {
        var sent = await grains.GetGrain<ISessionGrain>(sessionId).SendAsync(workspaceId, body.Element.GetRawText()).WaitAsync(cancellationToken);
        return sent.Json is { } events
            ? JsonNode.Parse(events)!.AsArray()
            : Error(sent);
    }

    // Each interrupted session is resumed by its grain: where it is already active (a live node runs the session), that
    // node finds its runner and does nothing; where no node owns it, the grain activates here and resumes it. Two nodes
    // starting at once reach the same activation, which resumes the session once. A grain on a node that died and is
    // not declared dead yet does not answer: the node starts all the same, and the survivors resume that session once
    // the death is declared (DeadNodeRecovery).
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var sessionId in await engine.InterruptedSessionsAsync(cancellationToken))
        {
            try
            {
                count += await grains.GetGrain<ISessionGrain>(sessionId).ResumeAsync().WaitAsync(cancellationToken) ? 1 : 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                OwnerUnreachable(logger, sessionId, ex.Message);
            }
        }

        return count;
    }

    public async Task<Result<JsonObject>> UpdateAsync(string workspaceId, string sessionId, WireObject body, CancellationToken cancellationToken) =>
        Answer(await grains.GetGrain<ISessionGrain>(sessionId).UpdateAsync(workspaceId, body.Element.GetRawText()).WaitAsync(cancellationToken));

    public async Task<Result<JsonObject>> ArchiveAsync(string workspaceId, string sessionId, CancellationToken cancellationToken) =>
        Answer(await grains.GetGrain<ISessionGrain>(sessionId).ArchiveAsync(workspaceId).WaitAsync(cancellationToken));

    public async Task<Result<JsonObject>> DeleteAsync(string workspaceId, string sessionId, CancellationToken cancellationToken) =>
        Answer(await grains.GetGrain<ISessionGrain>(sessionId).DeleteAsync(workspaceId).WaitAsync(cancellationToken));

    public async Task<Result<JsonObject>> AddResourceAsync(string workspaceId, string sessionId, WireObject body, CancellationToken cancellationToken) =>
        Answer(await grains.GetGrain<ISessionGrain>(sessionId).AddResourceAsync(workspaceId, body.Element.GetRawText()).WaitAsync(cancellationToken));

    public async Task<Result<JsonObject>> RotateResourceTokenAsync(string workspaceId, string sessionId, string resourceId, CancellationToken cancellationToken) =>
        Answer(await grains.GetGrain<ISessionGrain>(sessionId).RotateResourceTokenAsync(workspaceId, resourceId).WaitAsync(cancellationToken));

    public async Task<Result<JsonObject>> DeleteResourceAsync(string workspaceId, string sessionId, string resourceId, CancellationToken cancellationToken) =>
        Answer(await grains.GetGrain<ISessionGrain>(sessionId).DeleteResourceAsync(workspaceId, resourceId).WaitAsync(cancellationToken));

    private static Result<JsonObject> Answer(OwnerAnswer answer) => answer.Json is { } json
        ? JsonNode.Parse(json)!.AsObject()
        : Error(answer);

    private static LucidError Error(OwnerAnswer answer) => new((ErrorKind)answer.ErrorKind, answer.Message ?? "", answer.Field);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId} was not resumed at start: its owner did not answer ({Reason}); the nodes resume it once its owner is declared dead")]
    private static partial void OwnerUnreachable(ILogger logger, string sessionId, string reason);
}
