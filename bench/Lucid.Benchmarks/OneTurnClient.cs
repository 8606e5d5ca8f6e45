using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

namespace Lucid.Benchmarks;

/// <summary>
/// Drives one-turn sessions through the HTTP API: each is created with its user message as an initial event, then its
/// SSE stream is followed from the start of its log until the turn's <c>session.status_idle</c>. With several nodes of a
/// cluster, the sessions are created on the nodes in turn, and each is streamed from the node
/// <c>streamOffset</c> places after the one that created it.
/// </summary>
internal sealed class OneTurnClient(IReadOnlyList<HttpClient> nodes, int streamOffset, string agentId, string environmentId)
{
    /// <summary>Creates an agent on <paramref name="model"/> and an environment, and returns a client that starts sessions of them.</summary>
    public static Task<OneTurnClient> CreateAsync(HttpClient http, string model, CancellationToken cancellationToken) =>
        CreateAsync([http], streamOffset: 0, model, cancellationToken);

    /// <summary>Creates an agent on <paramref name="model"/> and an environment through the first node, and returns a client that spreads sessions of them over <paramref name="nodes"/>.</summary>
    public static async Task<OneTurnClient> CreateAsync(IReadOnlyList<HttpClient> nodes, int streamOffset, string model, CancellationToken cancellationToken)
    {
        var agent = await PostAsync(nodes[0], "/v1/agents", $$"""{"name":"concurrent","model":"{{model}}"}""", cancellationToken);
        var environment = await PostAsync(nodes[0], "/v1/environments", """{"name":"concurrent"}""", cancellationToken);
        return new OneTurnClient(nodes, streamOffset, agent, environment);
    }

    /// <summary>Runs <paramref name="sessions"/> one-turn sessions, all started at once; returns each as its client saw it.</summary>
    public async Task<OneTurn[]> RunAsync(int sessions, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        return await Task.WhenAll(Enumerable.Range(0, sessions).Select(i => Task.Run(() => RunOneAsync(i, clock, cancellationToken), cancellationToken)));
    }

    /// <summary>The body of a create request for a session with <paramref name="text"/> as its first user message.</summary>
    public string SessionJson(string text) =>
        $$"""{"agent":"{{agentId}}","environment_id":"{{environmentId}}","initial_events":[{"type":"user.message","content":[{"type":"text","text":"{{text}}"}]}]}""";

    /// <summary>Counts the events committed to the sessions' logs, paging through <c>GET /v1/sessions/{id}/events</c>.</summary>
    public async Task<long> CountCommittedAsync(IEnumerable<string> sessionIds, CancellationToken cancellationToken)
    {
        long total = 0;
        await Parallel.ForEachAsync(sessionIds, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            string? page = null;
            do
            {
                var path = $"/v1/sessions/{id}/events?limit=1000" + (page is null ? "" : "&page=" + Uri.EscapeDataString(page));
                using var body = JsonDocument.Parse(await nodes[0].GetStringAsync(path, ct));
                Interlocked.Add(ref total, body.RootElement.GetProperty("data").GetArrayLength());
                page = body.RootElement.GetProperty("next_page").GetString();
            }
            while (page is not null);
        });
        return total;
    }

    private async Task<OneTurn> RunOneAsync(int index, Stopwatch clock, CancellationToken cancellationToken)
    {
        var started = clock.Elapsed;
        var id = await PostAsync(nodes[index % nodes.Count], "/v1/sessions", SessionJson("Say done."), cancellationToken);
        var created = clock.Elapsed - started;

        // The stream replays the log from its first event, so nothing committed before it opened is missed.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{id}/events/stream");
        using var response = await nodes[(index + streamOffset) % nodes.Count].SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var streamed = 0;
        var running = false;
        TimeSpan? modelStart = null, modelEnd = null;
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            if (item.EventType == "ping")
            {
                continue;
            }

            streamed++;
            running |= item.EventType == "session.status_running";
            modelStart ??= item.EventType == "span.model_request_start" ? clock.Elapsed - started : null;
            modelEnd ??= item.EventType == "span.model_request_end" ? clock.Elapsed - started : null;
            // An idle event before the turn started (a new session's own) is not the end of the turn.
            if (item.EventType == "session.status_idle" && running)
            {
                using var idle = JsonDocument.Parse(item.Data);
                var stopReason = idle.RootElement.GetProperty("stop_reason").GetProperty("type").GetString();
                return stopReason == "end_turn"
                    ? new OneTurn(id, streamed, clock.Elapsed - started, clock.Elapsed, new OneTurnStages(created, modelStart ?? TimeSpan.Zero, modelEnd ?? TimeSpan.Zero))
                    : throw new InvalidOperationException($"Session {id} went idle with stop reason {stopReason}, not end_turn.");
            }
        }

        throw new InvalidOperationException($"The stream of session {id} ended before the turn did.");
    }

    /// <summary>POSTs a resource and returns its ID.</summary>
    public static async Task<string> PostAsync(HttpClient http, string path, string json, CancellationToken cancellationToken)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(path, content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {body}");
        }

        using var created = JsonDocument.Parse(body);
        return created.RootElement.GetProperty("id").GetString() ?? throw new InvalidOperationException($"POST {path} returned no id.");
    }
}
