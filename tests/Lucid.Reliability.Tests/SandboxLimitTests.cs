using System.Diagnostics;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Testing.Providers;
using Lucid.Testing.Sandboxing;
using Microsoft.Data.Sqlite;
using Lucid.Testing.Server;

namespace Lucid.Reliability.Tests;

/// <summary>
/// Runs the real <c>lucid serve</c> as an ordinary user (the kernel does not apply the process limit to root, so as root
/// the test drops to <c>nobody</c>), has an agent's command start far more processes than the sandbox allows, and
/// checks that the sandbox holds it to the limit, kills all of it at the time limit, and that the server keeps serving.
/// </summary>
public sealed class SandboxLimitTests : IAsyncLifetime, IDisposable
{
    private const int ProcessLimit = 32;
    private readonly string _home = Directory.CreateTempSubdirectory("lucid-limits-").FullName;
    private readonly FakeOpenAIServer _upstream = new();
    private readonly int _port = FreePorts.Next();
    private string _key = "";

    public Task InitializeAsync() => _upstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task A_process_storm_is_held_to_the_process_limit_and_the_server_keeps_serving()
    {
        var marker = HostProcesses.NewSleepMarker();
        // Two hundred processes, bounded so that a broken limit cannot take the machine down with it.
        _upstream
            .ReplyToolCall("bash", new { command = $"for i in $(seq 1 200); do sleep {marker} & done; wait", timeout_ms = 4000 }).ReplyText("Stopped.")
            .ReplyToolCall("bash", new { command = "echo still-serving" }).ReplyText("Done.");
        using var server = await StartServerAsync();
        try
        {
            using var http = Http();
            var agent = await PostAsync(http, "/v1/agents", """{"name":"storm","model":"openai/test","tools":[{"type":"agent_toolset_20260401"}]}""");
            var environment = await PostAsync(http, "/v1/environments", """{"name":"storm"}""");
            var session = await PostAsync(http, "/v1/sessions", $$"""{"agent":"{{agent}}","environment_id":"{{environment}}","initial_events":[{"type":"user.message","content":[{"type":"text","text":"storm"}]}]}""");

            var (stormResults, idle) = await ToolResultsUntilIdleAsync(http, session, 0);
            var storm = Assert.Single(stormResults);
            var left = await HostProcesses.GoneAsync(marker, TimeSpan.FromSeconds(10));
            await PostAsync(http, $"/v1/sessions/{session}/events", """{"events":[{"type":"user.message","content":[{"type":"text","text":"again"}]}]}""");
            var (after, _) = await ToolResultsUntilIdleAsync(http, session, idle);

            Assert.Contains("fork: retry: Resource temporarily unavailable", storm, StringComparison.Ordinal);
            Assert.Contains("time limit of 4000 ms", storm, StringComparison.Ordinal);
            Assert.Empty(left);
            Assert.Contains("still-serving", Assert.Single(after), StringComparison.Ordinal);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    // Follows the session's stream after a sequence until it goes idle; returns the tool results on the way and the idle's sequence.
    private static async Task<(List<string> Results, long Idle)> ToolResultsUntilIdleAsync(HttpClient http, string sessionId, long after)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{sessionId}/events/stream");
        request.Headers.Add("Last-Event-ID", after.ToString(CultureInfo.InvariantCulture));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, guard.Token);
        await using var body = await response.Content.ReadAsStreamAsync(guard.Token);
        var results = new List<string>();
        await foreach (var item in SseParser.Create(body).EnumerateAsync(guard.Token))
        {
            if (item.EventType == "agent.tool_result")
            {
                var content = JsonDocument.Parse(item.Data).RootElement.GetProperty("content");
                results.Add(string.Concat(content.EnumerateArray().Select(b => b.GetProperty("text").GetString())));
            }
            else if (item.EventType == "session.status_idle")
            {
                return (results, long.Parse(item.EventId ?? "0", CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException("The stream ended before the session went idle.");
    }

    private async Task<Process> StartServerAsync()
    {
        var dotnet = new[] { "dotnet", Path.Combine(AppContext.BaseDirectory, "lucid.dll"), "serve", "--urls", $"http://127.0.0.1:{_port}", "--sandbox-processes", ProcessLimit.ToString(CultureInfo.InvariantCulture) };
        string[] command = Environment.IsPrivilegedProcess
            ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", .. dotnet]
            : dotnet;
        if (Environment.IsPrivilegedProcess && OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(_home, (UnixFileMode)0b111_111_111);
        }

        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = _home;
        start.Environment["LUCID_HOME"] = _home;
        start.Environment["OPENAI_API_KEY"] = "sk-local";
        start.Environment["OPENAI_BASE_URL"] = _upstream.ApiBaseUrl;
        var process = Process.Start(start) ?? throw new InvalidOperationException("lucid did not start.");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var printed = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException($"lucid serve exited before it was ready:\n{printed}"));
                return;
            }

            printed.AppendLine(e.Data);
            if (e.Data.Contains("lucid_sk_", StringComparison.Ordinal))
            {
                _key = e.Data.Trim();
            }

            if (e.Data.Contains("Lucid is serving", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => printed.AppendLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.DoesNotContain("running as root", printed.ToString(), StringComparison.Ordinal);
        return process;
    }

    private HttpClient Http() => ServerProcess.ApiClient(_port, _key);

    private static async Task<string> PostAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)?["id"]?.GetValue<string>() ?? "";
    }

}
