using System.Collections.Concurrent;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Storage.Sqlite;
using Lucid.Testing.Providers;
using Xunit.Abstractions;

namespace Lucid.Reliability.Tests;

/// <summary>
/// Runs the real <c>lucid serve</c> as a child process while clients drive sessions whose turns call a tool, kills it
/// with SIGKILL at random moments, restarts it, and checks that nothing any client received was lost, that every log is
/// gapless, and that every session comes back to idle. A kill counts only when the process died of SIGKILL and a new
/// process then served every session; any answer other than a success, and any error before the kill, fails the test.
/// </summary>
public sealed class KillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Kills = 22;
    private const int Sessions = 4;
    private readonly ServedHome _served = new("lucid-kill-");
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<long, string>> _received = new();

    public async Task InitializeAsync()
    {
        await _served.Upstream.StartAsync();
        // Every turn: one bash call, then a short answer.
        var calls = 0;
        _served.Upstream.Fallback = (request, response) =>
        {
            var messages = request.Json?["messages"]?.AsArray();
            var lastRole = messages?[messages.Count - 1]?["role"]?.GetValue<string>();
            return lastRole == "tool"
                ? FakeOpenAIServer.WriteTextAsync(request, response, "The step is done.")
                : FakeOpenAIServer.WriteToolCallAsync(request, response, $"call_{Interlocked.Increment(ref calls)}", "bash", new { command = "sleep 0.1; echo step >> steps.txt" });
        };
    }

    public async Task DisposeAsync() => await _served.DisposeAsync();

    [Fact]
    public async Task Killing_the_server_repeatedly_loses_no_event_and_every_session_returns_to_idle()
    {
        var random = new Random(7);
        var survived = 0;
        var failures = new List<string>();
        var server = await _served.StartServerAsync();
        try
        {
            string[] sessions;
            using (var http = _served.Http())
            {
                var agent = await PostAsync(http, "/v1/agents", """{"name":"killed","model":"openai/test","tools":[{"type":"agent_toolset_20260401"}]}""", CancellationToken.None);
                var environment = await PostAsync(http, "/v1/environments", """{"name":"killed"}""", CancellationToken.None);
                sessions = [.. await Task.WhenAll(Enumerable.Range(0, Sessions).Select(_ => PostAsync(http, "/v1/sessions", $$"""{"agent":"{{agent}}","environment_id":"{{environment}}"}""", CancellationToken.None)))];
            }

            for (var round = 0; round < Kills; round++)
            {
                // The kill is announced before it is sent (a flag no request watches), so the drivers keep streaming
                // through it and tell the connection it cuts from any other error; the round stops after it.
                using var killing = new CancellationTokenSource();
                using var stop = new CancellationTokenSource();
                var contacts = sessions.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
                var drivers = sessions.Select((id, i) => DriveAsync(id, contacts[i], killing, stop.Token)).ToArray();

                // Every driver is answered by this process first: after a kill, that is the server back.
                await Task.WhenAll(contacts.Select(c => c.Task)).WaitAsync(TimeSpan.FromMinutes(2));
                survived += round > 0 ? 1 : 0;

                // Then the kill lands at a random moment of the drivers' work.
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(50, 700)));
                await killing.CancelAsync();
                await server.KillAsync();
                await stop.CancelAsync();
                await Task.WhenAll(drivers);
                failures.AddRange(server.Failures);
                server.Dispose();
                server = await _served.StartServerAsync();
            }

            // A last start: recovery resumes what was running; every session must come back to idle.
            await Task.WhenAll(sessions.Select(FollowUntilIdleAsync));
            survived++;
            failures.AddRange(server.Failures);
        }
        finally
        {
            server.Dispose();
        }

        await using var store = await SqliteStore.OpenAsync(Path.Combine(_served.Directory, "lucid.db"), CancellationToken.None);
        var lost = 0;
        var totalEvents = 0;
        foreach (var (id, seen) in _received)
        {
            var log = await store.ReadAsync(id, 0, int.MaxValue, CancellationToken.None);
            totalEvents += log.Count;
            Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), log.Select(e => e.Sequence));
            Assert.Equal(log.Count, log.Select(e => e.Event.Id).Distinct().Count());
            var bySequence = log.ToDictionary(e => e.Sequence, e => e.Event.Id);
            lost += seen.Count(e => !bySequence.TryGetValue(e.Key, out var stored) || stored != e.Value);
            Assert.Equal(SessionStatus.Idle, (await store.GetSessionAsync(id, CancellationToken.None))?.Status);
            Assert.Contains(log, e => e.Event is SessionStatusRescheduledEvent);
        }

        var received = _received.Values.Sum(r => r.Count);
        output.WriteLine($"kills survived: {survived}; events in the logs: {totalEvents}; events received by clients: {received}; lost: {lost}; server errors logged: {failures.Count}");
        foreach (var failure in failures.Take(10))
        {
            output.WriteLine(failure);
        }

        Assert.Equal(Sessions, _received.Count);
        Assert.Equal(Kills, survived);
        Assert.Equal(0, lost);
        Assert.True(received > 0);
        Assert.Empty(failures);
    }

    // Sends a message when the session is idle and follows its stream, until the round stops. Once the kill is under
    // way, a lost connection ends the driver; anything else, before or after, fails the test.
    private async Task DriveAsync(string sessionId, TaskCompletionSource contact, CancellationTokenSource killing, CancellationToken stop)
    {
        try
        {
            using var http = _served.Http();
            var seen = _received.GetOrAdd(sessionId, _ => new ConcurrentDictionary<long, string>());
            while (!stop.IsCancellationRequested)
            {
                var status = (await GetAsync(http, $"/v1/sessions/{sessionId}", stop)).GetProperty("status").GetString();
                contact.TrySetResult();
                if (status == "idle")
                {
                    await PostAsync(http, $"/v1/sessions/{sessionId}/events", """{"events":[{"type":"user.message","content":[{"type":"text","text":"next step"}]}]}""", stop);
                }

                await FollowUntilIdleAsync(http, sessionId, seen, stop);
            }
        }
        catch (Exception ex) when (killing.IsCancellationRequested && IsConnectionLoss(ex))
        {
            // The server was killed, or the round is over.
        }
        catch (Exception ex)
        {
            contact.TrySetException(ex);
            throw;
        }
    }

    // A request cut off by the kill or by the end of the round; never a status the server answered.
    private static bool IsConnectionLoss(Exception ex) => ex switch
    {
        HttpRequestException http => http.StatusCode is null,
        IOException or SocketException or OperationCanceledException => true,
        _ => false,
    };

    private async Task FollowUntilIdleAsync(string sessionId)
    {
        using var http = _served.Http();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = _received.GetOrAdd(sessionId, _ => new ConcurrentDictionary<long, string>());
        // A session that is not idle is working (or rescheduled), so an idle event is still to come.
        while ((await GetAsync(http, $"/v1/sessions/{sessionId}", guard.Token)).GetProperty("status").GetString() != "idle")
        {
            await FollowUntilIdleAsync(http, sessionId, seen, guard.Token);
        }
    }

    // Streams from the last event this client saw; records every event; returns at the first idle event.
    private static async Task FollowUntilIdleAsync(HttpClient http, string sessionId, ConcurrentDictionary<long, string> seen, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{sessionId}/events/stream");
        request.Headers.Add("Last-Event-ID", (seen.IsEmpty ? 0 : seen.Keys.Max()).ToString(CultureInfo.InvariantCulture));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, request, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            if (item.EventType == "ping")
            {
                continue;
            }

            var sequence = long.Parse(item.EventId ?? "0", CultureInfo.InvariantCulture);
            var id = JsonDocument.Parse(item.Data).RootElement.GetProperty("id").GetString() ?? "";
            Assert.True(seen.TryAdd(sequence, id) || seen[sequence] == id, $"event {sequence} of {sessionId} arrived twice with different ids");
            if (item.EventType == "session.status_idle")
            {
                return;
            }
        }
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, request, cancellationToken);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
    }

    private static async Task<string> PostAsync(HttpClient http, string path, string json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, request, cancellationToken);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))?["id"]?.GetValue<string>() ?? "";
    }

    // A server that answers, during recovery or not, answers with success: a 4xx or 5xx is a failure, never a lost
    // connection, even when the kill cuts off the error's body.
    private static async Task EnsureSuccessAsync(HttpResponseMessage response, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception ex) when (IsConnectionLoss(ex))
        {
            body = "(the body was cut off)";
        }

        Assert.Fail($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {body}");
    }

}
