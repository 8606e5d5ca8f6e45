using System.Text.Json.Nodes;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Server.Cluster;
using Lucid.Server.Http;
using Lucid.Sessions;
using Lucid.Storage;
using Microsoft.AspNetCore.Http;

namespace Lucid.Server.Sessions;

/// <summary><c>/v1/sessions/{id}/events</c>: list with filters, send input events, and follow as server-sent events.</summary>
internal static class EventEndpoints
{
    public static async Task<IResult> ListAsync(HttpContext http, string id, SessionService sessions)
    {
        var found = await sessions.GetAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Session, "session_id"), http.RequestAborted);
        return found.IsSuccess ? await ListLogAsync(http, id, sessions) : ApiErrors.From(found.Error);
    }

    /// <summary>Lists the events of a log (a session's or a thread's) with the filters of the request.</summary>
    public static async Task<IResult> ListLogAsync(HttpContext http, string logId, SessionService sessions)
    {
        var request = http.Request;
        var order = request.Query["order"].ToString();
        if (order is not ("" or "asc" or "desc"))
        {
            throw RequestException.Invalid("order", "order must be asc or desc.");
        }

        var types = request.Query["types[]"].Concat(request.Query["types"]).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (types.FirstOrDefault(t => !SessionEvent.ApiTypeNames.Contains(t)) is { } unknown)
        {
            throw RequestException.Invalid("types", $"'{unknown}' is not an event type; known: {string.Join(", ", SessionEvent.ApiTypeNames.Order(StringComparer.Ordinal))}.");
        }

        var (after, atOrAfter, before, atOrBefore) = Requests.CreatedAt(request);
        var query = new EventQuery
        {
            // Lucid's own events stay in the log: a listing holds only the API's types.
            Types = types.Count > 0 ? types : SessionEvent.ApiTypeNames,
            ProcessedAfter = after,
            ProcessedAtOrAfter = atOrAfter,
            ProcessedBefore = before,
            ProcessedAtOrBefore = atOrBefore,
            Descending = order == "desc",
        };
        var page = await Requests.PageAsync(() => sessions.ListEventsAsync(logId, query, Requests.Page(request, max: 1000), http.RequestAborted));
        return TypedResults.Json(Wire.Page(page, EventWire.ToJson));
    }

    /// <summary>
    /// Sends input events (messages, interrupts, confirmations) to the session's owner (<see cref="ISessionOwners"/>). The
    /// body is read here first, so that a bad field is refused by the node that received it.
    /// </summary>
    public static async Task<IResult> SendAsync(HttpContext http, string id, ISessionOwners owners)
    {
        Requests.Id(id, IdPrefixes.Session, "session_id");
        var body = await Requests.BodyAsync(http.Request);
        EventWire.ReadSend(body);
        var sent = await owners.SendAsync(ApiFilter.Workspace(http), id, body, http.RequestAborted);
        return sent.IsSuccess ? TypedResults.Json(new JsonObject { ["data"] = sent.Value }) : ApiErrors.From(sent.Error);
    }

    /// <summary>
    /// Replays the session's log, then follows it live (<see cref="EventStream"/>). A client too slow to keep up is cut
    /// off (<see cref="EventHub.SubscribeAsync"/>): its response ends and it reconnects so.
    /// </summary>
    public static async Task<IResult> StreamAsync(HttpContext http, string id, SessionService sessions, EventHub events, TimeProvider time)
    {
        var log = await sessions.LogOfAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Session, "session_id"), http.RequestAborted);
        return log.IsSuccess ? EventStream.Of(http, log.Value, events, time) : ApiErrors.From(log.Error);
    }
}
