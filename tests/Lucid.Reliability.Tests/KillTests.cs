using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.ServerSentEvents;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Storage.Sqlite;
using Lucid.Testing.Providers;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Lucid.Reliability.Tests;

/// <summary>
/// Runs the real <c>lucid serve</c> as a child process while clients drive sessions whose turns call a tool, kills it
/// with SIGKILL at random moments, restarts it, and checks that nothing any client received was lost, that every log is
/// gapless, and that every session comes back to idle.
/// </summary>
public sealed class KillTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const int Kills = 22;
    private const int Sessions = 4;
    private readonly string _home = Directory.CreateTempSubdirectory("lucid-kill-").FullName;
    private readonly FakeOpenAIServer _upstream = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<long, string>> _received = new();
    private readonly int _port = FreePort();
    private string _key = "";

    public async Task InitializeAsync()
    {
        await _upstream.StartAsync();
        // Every turn: one bash call, then a short answer.
        var calls = 0;
        _upstream.Fallback = (request, response) =>
        {
            var messages = request.Json?["messages"]?.AsArray();
            var lastRole = messages?[messages.Count - 1]?["role"]?.GetValue<string>();
            return lastRole == "tool"
                ? FakeOpenAIServer.WriteTextAsync(request, response, "The step is done.")
                : FakeOpenAIServer.WriteToolCallAsync(request, response, $"call_{Interlocked.Increment(ref calls)}", "bash", new { command = "sleep 0.1; echo step >> steps.txt" });
        };
    }

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task Killing_the_server_repeatedly_loses_no_event_and_every_session_returns_to_idle()
    {
        var random = new Random(7);
        string[] sessions;
        using (var server = await StartServerAsync())
        {
            using var http = Http();
            var agent = await PostAsync(http, "/v1/agents", """{"name":"killed","model":"openai/test","tools":[{"type":"agent_toolset_20260401"}]}""");
            var environment = await PostAsync(http, "/v1/environments", """{"name":"killed"}""");
            sessions = [.. await Task.WhenAll(Enumerable.Range(0, Sessions).Select(_ => PostAsync(http, "/v1/sessions", $$"""{"agent":"{{agent}}","environment_id":"{{environment}}"}""")))];
            await KillAsync(server);
        }

        var survived = 0;
        for (var round = 0; round < Kills; round++)
        {
            using var server = await StartServerAsync();
            using var stop = new CancellationTokenSource();
            var contacts = sessions.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
            var drivers = sessions.Select((id, i) => DriveAsync(id, contacts[i], stop.Token)).ToArray();

            // The kill lands while the drivers work: each has been answered once (a fresh process can take a while to
            // answer its first request on a loaded machine), then a random moment of their work.
            await Task.WhenAny(Task.WhenAll(contacts.Select(c => c.Task)), Task.Delay(TimeSpan.FromSeconds(30)));
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(50, 700)));
            await KillAsync(server);
            await stop.CancelAsync();
            await Task.WhenAll(drivers);
            survived++;
        }

        // A last start: recovery resumes what was running; every session must come back to idle.
        using (var server = await StartServerAsync())
        {
            await Task.WhenAll(sessions.Select(id => FollowUntilIdleAsync(id)));
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        await using var store = await SqliteStore.OpenAsync(Path.Combine(_home, "lucid.db"), CancellationToken.None);
        var lost = 0;
        var totalEvents = 0;
        foreach (var id in sessions)
        {
            var log = await store.ReadAsync(id, 0, int.MaxValue, CancellationToken.None);
            totalEvents += log.Count;
            Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), log.Select(e => e.Sequence));
            Assert.Equal(log.Count, log.Select(e => e.Event.Id).Distinct().Count());
            var bySequence = log.ToDictionary(e => e.Sequence, e => e.Event.Id);
            foreach (var (sequence, eventId) in _received.GetValueOrDefault(id) ?? new ConcurrentDictionary<long, string>())
            {
                if (!bySequence.TryGetValue(sequence, out var stored) || stored != eventId)
                {
                    lost++;
                }
            }

            Assert.Equal(SessionStatus.Idle, (await store.GetSessionAsync(id, CancellationToken.None))?.Status);
            Assert.Contains(log, e => e.Event is SessionStatusRescheduledEvent);
        }

        var received = _received.Values.Sum(r => r.Count);
        output.WriteLine($"kills survived: {survived}; events in the logs: {totalEvents}; events received by clients: {received}; lost: {lost}");
        Assert.Equal(0, lost);
        Assert.True(survived >= 20);
        Assert.True(received > 0);
    }

    // Sends a message when the session is idle and follows its stream, until stopped or the server dies.
    private async Task DriveAsync(string sessionId, TaskCompletionSource contact, CancellationToken stop)
    {
        try
        {
            using var http = Http();
            var seen = _received.GetOrAdd(sessionId, _ => new ConcurrentDictionary<long, string>());
            while (!stop.IsCancellationRequested)
            {
                var session = JsonDocument.Parse(await http.GetStringAsync($"/v1/sessions/{sessionId}", stop)).RootElement;
                contact.TrySetResult();
                if (session.GetProperty("status").GetString() == "idle")
                {
                    await PostAsync(http, $"/v1/sessions/{sessionId}/events", """{"events":[{"type":"user.message","content":[{"type":"text","text":"next step"}]}]}""");
                }

                await FollowAsync(http, sessionId, seen, untilIdle: true, stop);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException or OperationCanceledException or InvalidOperationException or JsonException)
        {
            // The server was killed, or the round is over.
        }
    }

    private async Task FollowUntilIdleAsync(string sessionId)
    {
        using var http = Http();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = _received.GetOrAdd(sessionId, _ => new ConcurrentDictionary<long, string>());
        // A session that is not idle is working (or rescheduled), so an idle event is still to come.
        while (JsonDocument.Parse(await http.GetStringAsync($"/v1/sessions/{sessionId}", guard.Token)).RootElement.GetProperty("status").GetString() != "idle")
        {
            await FollowAsync(http, sessionId, seen, untilIdle: true, guard.Token);
        }
    }

    // Streams from the last event this client saw; records every event; returns at the first idle event.
    private static async Task FollowAsync(HttpClient http, string sessionId, ConcurrentDictionary<long, string> seen, bool untilIdle, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{sessionId}/events/stream");
        request.Headers.Add("Last-Event-ID", (seen.IsEmpty ? 0 : seen.Keys.Max()).ToString(CultureInfo.InvariantCulture));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
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
            if (untilIdle && item.EventType == "session.status_idle")
            {
                return;
            }
        }
    }

    private async Task<Process> StartServerAsync()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "lucid.dll"), "serve", "--urls", $"http://127.0.0.1:{_port}" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LUCID_HOME"] = _home;
        start.Environment["OPENAI_API_KEY"] = "sk-local";
        start.Environment["OPENAI_BASE_URL"] = _upstream.ApiBaseUrl;
        var process = Process.Start(start) ?? throw new InvalidOperationException("lucid did not start.");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("lucid serve exited before it was ready."));
                return;
            }

            if (e.Data.Contains("lucid_sk_", StringComparison.Ordinal))
            {
                _key = e.Data.Trim();
            }

            if (e.Data.Contains("Lucid is serving", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return process;
    }

    // On Linux, Process.Kill sends SIGKILL: the server gets no chance to clean up.
    private static async Task KillAsync(Process server)
    {
        server.Kill();
        await server.WaitForExitAsync();
    }

    private HttpClient Http()
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("x-api-key", _key);
        return http;
    }

    private static async Task<string> PostAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {body}");
        }

        return JsonNode.Parse(body)?["id"]?.GetValue<string>() ?? "";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
