using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lucid.Events;
using Lucid.Memory;
using Lucid.Sessions;
using Lucid.Storage.Sqlite;
using Lucid.Testing.Providers;
using Microsoft.Data.Sqlite;
using Lucid.Testing.Server;

namespace Lucid.Cli.Tests;

/// <summary>
/// The key a command is configured with (OPENAI_API_KEY here) reaches the dreams it runs, <c>lucid dream</c> and
/// <c>lucid serve</c> alike: a dream refuses a lesson holding it and writes it nowhere, whatever its shape.
/// </summary>
public sealed partial class DreamSecretsCommandTests : IAsyncLifetime, IDisposable
{
    // The shape of a self-hosted gateway's key: no pattern knows it, only the configured value gives it away.
    private const string GatewayKey = "gw.7f3a9c1e-40b2-d91e";

    private readonly FakeOpenAIServer _openai = new();
    private readonly CliHarness _cli = new();

    public async Task InitializeAsync()
    {
        await _openai.StartAsync();
        _cli.Environment["OPENAI_API_KEY"] = GatewayKey;
        _cli.Environment["OPENAI_BASE_URL"] = _openai.ApiBaseUrl;
    }

    public async Task DisposeAsync() => await _openai.DisposeAsync();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Dream_refuses_a_lesson_holding_the_configured_key_and_writes_the_key_nowhere()
    {
        var storeId = await SeedAsync();

        var (code, output) = await _cli.RunAsync("dream", "--store", storeId, "--sessions", "sesn_cli", "--model", "openai/test");

        Assert.True(code == 0, output);
        Assert.Contains("refused — it contained a configured OpenAI API key", output, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayKey, output, StringComparison.Ordinal);
        await AssertWrittenNowhereAsync(ReportPath(output));
    }

    [Fact]
    public async Task Serve_runs_dreams_that_refuse_a_lesson_holding_the_configured_key()
    {
        var storeId = await SeedAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var port = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "lucid.dll"), "serve", "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _cli.Environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["LUCID_HOME"] = _cli.Home;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("lucid did not start.");
        string? dreamId = null;
        try
        {
            var key = await ReadyAsync(process, guard.Token);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            http.DefaultRequestHeaders.Add("x-api-key", key);
            var body = new JsonObject
            {
                ["inputs"] = new JsonArray(
                    new JsonObject { ["type"] = "memory_store", ["memory_store_id"] = storeId },
                    new JsonObject { ["type"] = "sessions", ["session_ids"] = new JsonArray("sesn_cli") }),
                ["model"] = "openai/test",
            };
            using var created = await http.PostAsync("/v1/dreams", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), guard.Token);
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            dreamId = JsonNode.Parse(await created.Content.ReadAsStringAsync(guard.Token))?["id"]?.GetValue<string>();

            // A client learns a dream's end by reading it; there is no stream of dreams.
            var status = "pending";
            while (status is "pending" or "running")
            {
                await Task.Delay(25, guard.Token);
                status = JsonNode.Parse(await http.GetStringAsync($"/v1/dreams/{dreamId}", guard.Token))?["status"]?.GetValue<string>();
            }

            Assert.Equal("completed", status);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
        }

        await AssertWrittenNowhereAsync($"/dreams/{dreamId}.md");
    }

    // A session whose transcript holds the key, and a model that proposes one lesson holding it and one clean lesson.
    private async Task<string> SeedAsync()
    {
        string storeId;
        await using (var store = await SqliteStore.OpenAsync(Path.Combine(_cli.Home, "lucid.db"), CancellationToken.None))
        {
            var memory = new MemoryService(store);
            storeId = (await memory.CreateStoreAsync(Workspaces.Default, "Lessons", null, null, CancellationToken.None)).Value?.Id ?? "";
            var now = DateTimeOffset.UtcNow;
            await store.CreateSessionAsync(new Session { Id = "sesn_cli", AgentId = "agent_x", AgentVersion = 1, EnvironmentId = "env_x", WorkDirectory = _cli.Home, CreatedAt = now, UpdatedAt = now }, CancellationToken.None);
            await store.AppendAsync("sesn_cli",
            [
                new UserMessageEvent { Id = "sevt_task", ProcessedAt = now, Content = [new TextBlock($"Call the gateway with {GatewayKey}.")] },
                new AgentToolUseEvent { Id = "sevt_use1", ProcessedAt = now, Name = "bash", Input = JsonElement.Parse($$"""{"command":"curl -H 'key: {{GatewayKey}}' gateway"}"""), EvaluatedPermission = "allow" },
                new AgentToolResultEvent { Id = "sevt_err1", ProcessedAt = now, ToolUseId = "sevt_use1", Content = [new TextBlock("Error: 401")], IsError = true },
                new AgentToolUseEvent { Id = "sevt_use2", ProcessedAt = now, Name = "bash", Input = JsonElement.Parse("""{"command":"curl -H @key-file gateway"}"""), EvaluatedPermission = "allow" },
                new AgentToolResultEvent { Id = "sevt_ok2", ProcessedAt = now, ToolUseId = "sevt_use2", Content = [new TextBlock("ok")] },
            ], CancellationToken.None);
        }

        _openai.ReplyText($$"""{"lessons":[{"title":"Gateway key","when":"calling the gateway","do":"Send {{GatewayKey}}.","evidence":["sevt_err1","sevt_use2"]}]}""");
        _openai.ReplyText($$"""{"operations":[{"op":"add","path":"/lessons/gateway-key.md","sources":[],"title":"Gateway key","when":"calling the gateway","do":"Send the header key: {{GatewayKey}}.","evidence":["sevt_err1","sevt_use2"],"reason":"It worked."},{"op":"add","path":"/lessons/gateway.md","sources":[],"title":"Send the gateway key from a file","when":"the gateway answers 401","do":"Pass -H @key-file; never paste a key.","evidence":["sevt_err1","sevt_use2"],"reason":"The retry with a key file worked."}]}""");
        return storeId;
    }

    // Not in what the model was sent, in any memory version, or in any event but those of the seeded transcript; and the
    // report says what was refused.
    private async Task AssertWrittenNowhereAsync(string reportPath)
    {
        Assert.Equal(2, _openai.Requests.Count);
        Assert.All(_openai.Requests, r => Assert.DoesNotContain(GatewayKey, r.Body, StringComparison.Ordinal));
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_cli.Home, "lucid.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var versions = await TextsAsync(connection, "SELECT coalesce(json_extract(json, '$.path'), '') || ' ' || coalesce(json_extract(json, '$.content'), '') FROM memory_versions");
        Assert.Contains(versions, v => v.StartsWith("/lessons/gateway.md ", StringComparison.Ordinal));
        Assert.Contains(versions, v => v.StartsWith(reportPath + " ", StringComparison.Ordinal) && v.Contains("refused — it contained a configured OpenAI API key", StringComparison.Ordinal));
        Assert.All(versions, v => Assert.DoesNotContain(GatewayKey, v, StringComparison.Ordinal));
        var events = await TextsAsync(connection, "SELECT json FROM events WHERE session_id <> 'sesn_cli'");
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.DoesNotContain(GatewayKey, e, StringComparison.Ordinal));
    }

    private static async Task<List<string>> TextsAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var texts = new List<string>();
        while (await reader.ReadAsync())
        {
            texts.Add(reader.GetString(0));
        }

        return texts;
    }

    private static string ReportPath(string output) => $"/dreams/{DreamId().Match(output).Groups[1].Value}.md";

    // The first key, printed by serve on a data directory with none, once the server is ready.
    private static async Task<string> ReadyAsync(Process process, CancellationToken cancellationToken)
    {
        string? key = null;
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            key ??= KeyPattern().Match(line) is { Success: true } match ? match.Value : null;
            if (line.Contains("Lucid is serving", StringComparison.Ordinal))
            {
                return key ?? throw new InvalidOperationException("lucid serve printed no key.");
            }
        }

        throw new InvalidOperationException($"lucid serve exited before it was ready: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
    }


    [GeneratedRegex("lucid_sk_[A-Za-z0-9]+")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"lucid dream show (drm_\w+)")]
    private static partial Regex DreamId();
}
