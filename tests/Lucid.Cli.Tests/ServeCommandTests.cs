using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Lucid.Testing.Server;
using Microsoft.AspNetCore.Http;

namespace Lucid.Cli.Tests;

public sealed partial class ServeCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Keys_create_prints_a_key_once_and_list_shows_only_its_prefix()
    {
        var (createExit, created) = await _cli.RunAsync("keys", "create", "--workspace", "team-a", "--name", "ci");
        var key = KeyPattern().Match(created).Value;
        var (listExit, list) = await _cli.RunAsync("keys", "list");
        var (badExit, bad) = await _cli.RunAsync("keys", "create", "--workspace", "no spaces allowed");

        Assert.Equal(0, createExit);
        Assert.StartsWith("lucid_sk_", key, StringComparison.Ordinal);
        Assert.Equal(0, listExit);
        Assert.Contains("team-a", list, StringComparison.Ordinal);
        Assert.Contains(key[..15], list, StringComparison.Ordinal);
        Assert.DoesNotContain(key, list, StringComparison.Ordinal);
        Assert.Equal(2, badExit);
        Assert.Contains("workspace", bad, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_refuses_a_negative_thread_limit_before_starting()
    {
        var (exit, output) = await _cli.RunAsync("serve", "--max-threads", "-1", "--urls", "http://127.0.0.1:1");

        Assert.NotEqual(0, exit);
        Assert.Contains("--max-threads must be 0 or more.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Lucid is serving", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_refuses_a_tool_use_round_limit_below_one_before_starting()
    {
        // An address no server can listen on: were the option accepted, serve would fail at once instead of serving.
        var (exit, output) = await _cli.RunAsync("serve", "--max-tool-use-rounds", "0", "--urls", "http://127.0.0.1:99999");

        Assert.NotEqual(0, exit);
        Assert.Contains("--max-tool-use-rounds must be 1 or more.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Lucid is serving", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rate-limit", "-1", "--rate-limit must be 0 or more.")]
    [InlineData("--rate-limit-burst", "0", "--rate-limit-burst must be 1 or more.")]
    public async Task Serve_refuses_a_rate_limit_it_cannot_apply_before_starting(string option, string value, string error)
    {
        // An address no server can listen on: were the option accepted, serve would fail at once instead of serving.
        var (exit, output) = await _cli.RunAsync("serve", option, value, "--urls", "http://127.0.0.1:99999");

        Assert.NotEqual(0, exit);
        Assert.Contains(error, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Lucid is serving", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_on_a_fresh_data_directory_creates_a_first_key_serves_the_api_and_stops_on_sigterm()
    {
        var port = FreePorts.Next();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var started = await StartServeAsync(port, [], guard.Token);
        using var process = started.Process;
        var key = started.Key;

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var page = await http.GetStringAsync("/", guard.Token);
        using var anonymous = await http.GetAsync("/v1/agents", guard.Token);
        http.DefaultRequestHeaders.Add("x-api-key", key);
        using var authorized = await http.GetAsync("/v1/agents", guard.Token);
        Assert.Equal(0, SendSignal(process.Id, SigTerm));
        await process.WaitForExitAsync(guard.Token);

        Assert.NotNull(key);
        Assert.Contains("Lucid is running", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
        Assert.Equal(0, process.ExitCode);
        Assert.True(File.Exists(Path.Combine(_cli.Home, "lucid.db")));
    }

    [Fact]
    public async Task Serve_where_no_sandbox_can_be_made_says_so_and_refuses_commands_rather_than_run_them_unconfined()
    {
        var port = FreePorts.Next();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var started = await StartServeAsync(port, ["--sandbox-bwrap", "/nonexistent/bwrap"], guard.Token);
        using var process = started.Process;
        var (key, printed) = (started.Key, started.Printed);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var page = await http.GetStringAsync("/", guard.Token);
        http.DefaultRequestHeaders.Add("x-api-key", key);
        var agent = await IdAsync(http, "/v1/agents", """{"name":"shell","model":"openai/test","tools":[{"type":"agent_toolset_20260401"}]}""", guard.Token);
        var environment = await IdAsync(http, "/v1/environments", """{"name":"local"}""", guard.Token);
        using var outcome = await http.PostAsync(
            "/v1/sessions",
            new StringContent($$"""{"agent":"{{agent}}","environment_id":"{{environment}}","initial_events":[{"type":"user.define_outcome","description":"Build it.","rubric":{"type":"text","content":"- It builds."},"checks":[{"type":"command","command":"make"}]}]}""", System.Text.Encoding.UTF8, "application/json"),
            guard.Token);
        var error = await outcome.Content.ReadAsStringAsync(guard.Token);
        Assert.Equal(0, SendSignal(process.Id, SigTerm));
        await process.WaitForExitAsync(guard.Token);

        Assert.Contains("No sandbox can be made here (/nonexistent/bwrap could not be started", printed, StringComparison.Ordinal);
        Assert.Contains("Sandbox: unavailable, commands refused", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, outcome.StatusCode);
        Assert.Contains("initial_events[0].checks[0].command", error, StringComparison.Ordinal);
        Assert.Contains("not started with --unsafe-no-sandbox", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_with_an_OTLP_endpoint_exports_traces_and_metrics_there_and_flushes_them_on_sigterm()
    {
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var collector = new LoopbackHttpServer(http =>
        {
            received.Enqueue(http.Request.Path);
            http.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        await collector.StartAsync();
        var port = FreePorts.Next();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var started = await StartServeAsync(
            port, [], guard.Token, new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseUrl, ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf" });
        using var process = started.Process;

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Add("x-api-key", started.Key);
        using var agents = await http.GetAsync("/v1/agents", guard.Token);
        Assert.Equal(0, SendSignal(process.Id, SigTerm));
        await process.WaitForExitAsync(guard.Token);

        Assert.Contains("Exporting traces and metrics over OTLP", started.Printed, StringComparison.Ordinal);
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("/v1/traces", received);
        Assert.Contains("/v1/metrics", received);
    }

    // Starts lucid serve on the harness's data directory; returns once it serves, with its first key and what it printed.
    private async Task<(Process Process, string? Key, string Printed)> StartServeAsync(
        int port, string[] options, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "lucid.dll"), "serve", "--urls", $"http://127.0.0.1:{port}" }.Concat(options))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LUCID_HOME"] = _cli.Home;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("lucid did not start.");
        var printed = new System.Text.StringBuilder();
        string? key = null;
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            printed.AppendLine(line);
            key ??= KeyPattern().Match(line) is { Success: true } match ? match.Value : null;
            if (line.Contains("Lucid is serving", StringComparison.Ordinal))
            {
                break;
            }
        }

        return (process, key, printed.ToString());
    }

    private static async Task<string> IdAsync(HttpClient http, string path, string json, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, body);
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetString() ?? "";
    }


    private const int SigTerm = 15;

    // .NET can send SIGKILL (Process.Kill) but not SIGTERM, which is what a service manager sends.
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
    private static extern int SendSignal(int pid, int signal);

    [GeneratedRegex("lucid_sk_[A-Za-z0-9]+")]
    private static partial Regex KeyPattern();
}
