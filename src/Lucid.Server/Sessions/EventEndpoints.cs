using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Server.Http;
using Lucid.Sessions;
using Lucid.Storage;
using Microsoft.AspNetCore.Http;

namespace Lucid.Server.Sessions;

/// <summary><c>/v1/sessions/{id}/events</c>: list with filters, send input events, and follow as server-sent events.</summary>
internal static class EventEndpoints
{
    /// <summary>How often an idle stream sends a <c>ping</c> frame so proxies keep the connection open.</summary>
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15);

    private static readonly SseItem<string> Ping = new("{\"type\":\"ping\"}", "ping");

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

    public static async Task<IResult> SendAsync(HttpContext http, string id, SessionService sessions)
    {
        Requests.Id(id, IdPrefixes.Session, "session_id");
        var events = EventWire.ReadSend(await Requests.BodyAsync(http.Request));
        var sent = await sessions.SendAsync(ApiFilter.Workspace(http), id, events, http.RequestAborted);
        return sent.IsSuccess
            ? TypedResults.Json(new JsonObject { ["data"] = new JsonArray([.. sent.Value.Select(EventWire.ToJson)]) })
            : ApiErrors.From(sent.Error);
    }

    /// <summary>
    /// Replays the session's log, then follows it live. Each frame's <c>id</c> is the event's sequence number, so a client
    /// that reconnects with <c>Last-Event-ID</c> (or <c>?after=N</c>) gets exactly the events it has not seen. A client
    /// too slow to keep up is cut off (<see cref="EventHub.SubscribeAsync"/>): its response ends and it reconnects so.
    /// </summary>
    public static async Task<IResult> StreamAsync(HttpContext http, string id, SessionService sessions, EventHub events, TimeProvider time)
    {
        var found = await sessions.GetAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Session, "session_id"), http.RequestAborted);
        if (!found.IsSuccess)
        {
            return ApiErrors.From(found.Error);
        }

        return StreamLog(http, LogId.Of(found.Value.Id), events, time);
    }

    /// <summary>Streams a log (a session's or a thread's): replay after <c>Last-Event-ID</c> or <c>?after=N</c>, then live.</summary>
    public static IResult StreamLog(HttpContext http, LogId logId, EventHub events, TimeProvider time) =>
        new EndsQuietlyWhenClientGoes(TypedResults.ServerSentEvents(Frames(events, time, logId, ResumeAfter(http.Request), http.RequestAborted)));

    private static long ResumeAfter(HttpRequest request)
    {
        var raw = request.Headers["Last-Event-ID"].ToString();
        if (raw.Length == 0)
        {
            raw = request.Query["after"].ToString();
        }

        if (raw.Length == 0)
        {
            return 0;
        }

        return long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : throw RequestException.Invalid("Last-Event-ID", $"'{raw}' is not an event sequence number.");
    }

    private static async IAsyncEnumerable<SseItem<string>> Frames(
        EventHub hub, TimeProvider time, LogId logId, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The subscription is stopped through its own token before it is disposed: an async iterator cannot be
        // disposed while a MoveNextAsync is pending, which is the usual state when a client disconnects.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = hub.SubscribeAsync(logId, after, stop.Token).GetAsyncEnumerator(stop.Token);
        var next = events.MoveNextAsync().AsTask();
        try
        {
            // A ping first puts the response headers on the wire at once, even when there is nothing to replay yet.
            yield return Ping;
            // One ping timer runs across events (a timer per event cost more than the frame): a ping goes out every
            // interval, whether or not events went out in it.
            var ping = Task.Delay(PingInterval, time, stop.Token);
            while (true)
            {
                // Replayed and queued events are usually there already: only a wait races the ping.
                if (next.IsCompleted || await Task.WhenAny(next, ping) == next)
                {
                    // A subscription cancelled because the client went ends the stream quietly: rethrown, its exception
                    // would climb every layer of the request pipeline, which cost more than the stream's frames.
                    if (next.IsCanceled || !await next)
                    {
                        yield break;
                    }

                    var logged = events.Current;
                    if (!logged.Event.IsLucidOnly)
                    {
                        // Lucid's own records are skipped: no client of the API knows their type.
                        yield return new SseItem<string>(logged.Json, logged.Event.Type)
                        {
                            EventId = logged.Sequence.ToString(CultureInfo.InvariantCulture),
                        };
                    }

                    next = events.MoveNextAsync().AsTask();
                }
                else
                {
                    yield return Ping;
                    ping = Task.Delay(PingInterval, time, stop.Token);
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            // Only waited for, so that the subscription can be disposed: whatever it ended with was seen above, or no
            // longer has a reader.
            await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await events.DisposeAsync();
        }
    }

    // The SSE writer throws when the client it writes to has gone; nobody is left to answer, and the exception would
    // climb every middleware of the request (most streams end so: the client stops reading when it has what it wanted).
    private sealed class EndsQuietlyWhenClientGoes(IResult stream) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            try
            {
                await stream.ExecuteAsync(httpContext);
            }
            catch (OperationCanceledException) when (httpContext.RequestAborted.IsCancellationRequested)
            {
            }
        }
    }
}
