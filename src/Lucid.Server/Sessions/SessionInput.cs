using System.Text.Json.Nodes;
using Lucid.Events;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Sessions;

namespace Lucid.Server.Sessions;

/// <summary>Sends input events to a session whose runner is in this process: the owner's half of <c>POST /v1/sessions/{id}/events</c>.</summary>
internal sealed class SessionInput(SessionService sessions)
{
    public async Task<Result<JsonArray>> SendAsync(string workspaceId, string sessionId, WireObject body, CancellationToken cancellationToken) =>
        Answer(await sessions.SendAsync(workspaceId, sessionId, EventWire.ReadSend(body), cancellationToken));

    /// <summary>
    /// Sends input events that another node read and gave their IDs; <paramref name="resent"/> when that node sends them
    /// again because the owner it sent them to died (<see cref="SessionService.ResendAsync"/>).
    /// </summary>
    public async Task<Result<JsonArray>> SendRoutedAsync(
        string workspaceId, string sessionId, WireObject body, IReadOnlyList<string> eventIds, bool resent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        var read = EventWire.ReadSend(body);
        if (read.Count != eventIds.Count)
        {
            throw new ArgumentException($"{eventIds.Count} event IDs for {read.Count} events.", nameof(eventIds));
        }

        List<SessionEvent> inputs = [.. read.Select((e, i) => e with { Id = eventIds[i] })];
        return Answer(resent
            ? await sessions.ResendAsync(workspaceId, sessionId, inputs, cancellationToken)
            : await sessions.SendAsync(workspaceId, sessionId, inputs, cancellationToken));
    }

    private static Result<JsonArray> Answer(Result<IReadOnlyList<LoggedEvent>> sent) =>
        sent.IsSuccess ? new JsonArray([.. sent.Value.Select(EventWire.ToJson)]) : sent.Error;
}
