using System.Text.Json.Nodes;
using Lucid.Results;
using Lucid.Server.Cluster;
using Lucid.Server.Http;
using Lucid.Sessions;
using Microsoft.Extensions.Logging;

namespace Lucid.Cluster.Sessions;

/// <summary>
/// Routes a session's engine work to its <see cref="ISessionGrain"/>, on whichever node owns the session, trying again
/// while that node has died and is not declared dead yet (<see cref="NodeLossRetry"/>).
/// </summary>
internal sealed partial class GrainSessionOwners(IGrainFactory grains, SessionEngine engine, SessionService sessions, NodeLossRetry retry, ILogger<GrainSessionOwners> logger)
    : ISessionOwners
{
    // The events get their IDs here, once, so that sending them again after the owner died commits them at most once.
    public async Task<Result<JsonArray>> SendAsync(string workspaceId, string sessionId, WireObject body, CancellationToken cancellationToken)
    {
        var eventIds = sessions.NewEventIds(body.Element.GetProperty("events").GetArrayLength()).ToArray();
        var json = body.Element.GetRawText();
        var sent = await retry.CallAsync(sessionId, resent => Grain(sessionId).SendAsync(workspaceId, json, eventIds, resent), cancellationToken);
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
                count += await Grain(sessionId).ResumeAsync().WaitAsync(cancellationToken) ? 1 : 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                OwnerUnreachable(logger, sessionId, ex.Message);
            }
        }

        return count;
    }

    // Edits and resource changes are tried again as they are: a resend whose first try the dead owner did finds it done
    // (an update applied again, an archive of an archived session, or a refusal: a deleted session or resource not
    // found, a file's mount path taken by that same file).
    public async Task<Result<JsonObject>> UpdateAsync(string workspaceId, string sessionId, WireObject body, CancellationToken cancellationToken)
    {
        var json = body.Element.GetRawText();
        return Answer(await retry.CallAsync(sessionId, _ => Grain(sessionId).UpdateAsync(workspaceId, json), cancellationToken));
    }

    public async Task<Result<JsonObject>> ArchiveAsync(string workspaceId, string sessionId, CancellationToken cancellationToken) =>
        Answer(await retry.CallAsync(sessionId, _ => Grain(sessionId).ArchiveAsync(workspaceId), cancellationToken));

    public async Task<Result<JsonObject>> DeleteAsync(string workspaceId, string sessionId, CancellationToken cancellationToken) =>
        Answer(await retry.CallAsync(sessionId, _ => Grain(sessionId).DeleteAsync(workspaceId), cancellationToken));

    public async Task<Result<JsonObject>> AddResourceAsync(string workspaceId, string sessionId, WireObject body, CancellationToken cancellationToken)
    {
        var json = body.Element.GetRawText();
        return Answer(await retry.CallAsync(sessionId, _ => Grain(sessionId).AddResourceAsync(workspaceId, json), cancellationToken));
    }

    public async Task<Result<JsonObject>> RotateResourceTokenAsync(string workspaceId, string sessionId, string resourceId, CancellationToken cancellationToken) =>
        Answer(await retry.CallAsync(sessionId, _ => Grain(sessionId).RotateResourceTokenAsync(workspaceId, resourceId), cancellationToken));

    public async Task<Result<JsonObject>> DeleteResourceAsync(string workspaceId, string sessionId, string resourceId, CancellationToken cancellationToken) =>
        Answer(await retry.CallAsync(sessionId, _ => Grain(sessionId).DeleteResourceAsync(workspaceId, resourceId), cancellationToken));

    private ISessionGrain Grain(string sessionId) => grains.GetGrain<ISessionGrain>(sessionId);

    private static Result<JsonObject> Answer(OwnerAnswer answer) => answer.Json is { } json
        ? JsonNode.Parse(json)!.AsObject()
        : Error(answer);

    private static LucidError Error(OwnerAnswer answer) => new((ErrorKind)answer.ErrorKind, answer.Message ?? "", answer.Field);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId} was not resumed at start: its owner did not answer ({Reason}); the nodes resume it once its owner is declared dead")]
    private static partial void OwnerUnreachable(ILogger logger, string sessionId, string reason);
}
