using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Lucid.Events;
using Lucid.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Lucid.Server.Sessions;

/// <summary>
/// A log's stream of server-sent events (a session's or a thread's): replay after <c>Last-Event-ID</c> or
/// <c>?after=N</c>, then live. Each committed event's frame carries its sequence number as its <c>id</c>. With
/// <c>event_deltas</c>, live frames also preview events still being produced (<see cref="PreviewWire"/>); those frames
/// carry no <c>id</c>, are never stored, and a reconnecting client gets the committed events only.
/// </summary>
internal static class EventStream
{
    /// <summary>How often an idle stream sends a <c>ping</c> frame so proxies keep the connection open.</summary>
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15);

    private static readonly SseItem<string> Ping = new("{\"type\":\"ping\"}", "ping");

    /// <summary>Streams a log with the resume point and previews the request asks for.</summary>
    public static IResult Of(HttpContext http, LogId logId, EventHub events, TimeProvider time) =>
        new EndsQuietlyWhenClientGoes(TypedResults.ServerSentEvents(
            Frames(events, time, logId, ResumeAfter(http.Request), PreviewWire.RequestedTypes(http.Request), http.RequestAborted)));

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
        EventHub hub, TimeProvider time, LogId logId, long after, IReadOnlySet<string> previewTypes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The subscription is stopped through its own token before it is disposed: an async iterator cannot be
        // disposed while a MoveNextAsync is pending, which is the usual state when a client disconnects.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = hub.SubscribeWithPreviewsAsync(logId, after, previewTypes, stop.Token).GetAsyncEnumerator(stop.Token);
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

                    var item = events.Current;
                    if (item.Preview is { } preview)
                    {
                        yield return PreviewWire.Frame(preview);
                    }
                    else if (item.Committed is { Event.IsLucidOnly: false } logged)
                    {
                        // Lucid's own records are skipped: no client of the API knows their type.
                        yield return new SseItem<string>(logged.Json, logged.Event.Type)
                        {
                            EventId = logged.Sequence.ToString(CultureInfo.InvariantCulture),
                        };
                    }

                    next = events.MoveNextAsync().AsTask();
                }
                else if (ping.IsCanceled)
                {
                    // The client went: the ping's wait ends with the stream, and a ping written now would only throw.
                    yield break;
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
