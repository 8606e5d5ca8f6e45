using System.Diagnostics;
using System.Net.ServerSentEvents;

namespace Lucid.Benchmarks;

/// <summary>
/// Follows one session's SSE stream on one node, from the start of its log, and notes when its model request started,
/// when it was rescheduled and when its turn went idle, on a shared clock.
/// </summary>
internal sealed class SessionWatch
{
    private readonly TaskCompletionSource _modelStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SessionWatch()
    {
    }

    /// <summary>Completes when the stream brings <c>span.model_request_start</c>; fails if it ends first.</summary>
    public Task ModelStarted => _modelStarted.Task;

    /// <summary>Completes when the stream has ended: at the turn's idle, on an error, or when cancelled.</summary>
    public Task Ended { get; private set; } = Task.CompletedTask;

    /// <summary>When <c>session.status_rescheduled</c> arrived, or null.</summary>
    public TimeSpan? Rescheduled { get; private set; }

    /// <summary>When the turn's <c>session.status_idle</c> arrived, or null.</summary>
    public TimeSpan? Idle { get; private set; }

    /// <summary>Why the stream ended before the turn's idle (not counting cancellation), or null.</summary>
    public string? Error { get; private set; }

    /// <summary>Starts following session <paramref name="sessionId"/> on <paramref name="node"/> until its turn is idle or <paramref name="cancellationToken"/> fires.</summary>
    public static SessionWatch Follow(HttpClient node, string sessionId, Stopwatch clock, CancellationToken cancellationToken)
    {
        var watch = new SessionWatch();
        watch.Ended = Task.Run(() => watch.FollowAsync(node, sessionId, clock, cancellationToken), CancellationToken.None);
        return watch;
    }

    private async Task FollowAsync(HttpClient node, string sessionId, Stopwatch clock, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await node.GetAsync($"/v1/sessions/{sessionId}/events/stream", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var running = false;
            await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
            {
                switch (item.EventType)
                {
                    case "span.model_request_start":
                        _modelStarted.TrySetResult();
                        break;
                    case "session.status_running":
                        running = true;
                        break;
                    case "session.status_rescheduled":
                        Rescheduled ??= clock.Elapsed;
                        break;
                    // An idle event before the turn started (a new session's own) is not the end of the turn.
                    case "session.status_idle" when running:
                        Idle = clock.Elapsed;
                        return;
                }
            }

            Error = $"the stream of session {sessionId} ended before its turn did";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The round is over.
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            Error = $"the stream of session {sessionId} failed: {e.Message}";
        }
        finally
        {
            _modelStarted.TrySetException(new InvalidOperationException(Error ?? $"the stream of session {sessionId} ended before its model request started"));
        }
    }
}
