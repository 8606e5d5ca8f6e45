using System.Diagnostics;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Lucid.Auth;
using Lucid.Server;
using Lucid.Storage.Sqlite;
using Lucid.Testing.Models;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Lucid.Benchmarks;

/// <summary>
/// End to end through the HTTP API on loopback: N sessions at once, each sending T messages and following its SSE stream
/// to idle, on a model that answers instantly. Prints events/s committed and delivered, and the delivery latency of each
/// streamed event (from its <c>processed_at</c>, stamped just before commit, to its arrival at the client).
/// </summary>
internal static class ApiLoadRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sessions = Option(args, "--sessions", 16);
        var turns = Option(args, "--turns", 20);
        var directory = Directory.CreateTempSubdirectory("lucid-load-").FullName;
        try
        {
            await using var store = await SqliteStore.OpenAsync(Path.Combine(directory, "lucid.db"), CancellationToken.None);
            var key = (await new ApiKeyService(store).CreateAsync(Workspaces.Default, "load", CancellationToken.None)).Value.Secret;
            await using var app = LucidServer.Build(new LucidServerOptions
            {
                Urls = "http://127.0.0.1:0",
                Store = store,
                Models = new ScriptedModels().With("instant", new InstantChatClient()),
                Engine = new Sessions.SessionEngineOptions { WorkDirectoriesRoot = Path.Combine(directory, "workspaces") },
            });
            await app.StartAsync();
            var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.First() ?? throw new InvalidOperationException("no address");
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.Add("x-api-key", key);

            var agent = await PostAsync(http, "/v1/agents", """{"name":"load","model":"instant"}""");
            var environment = await PostAsync(http, "/v1/environments", """{"name":"load"}""");
            var ids = new List<string>();
            for (var i = 0; i < sessions; i++)
            {
                var session = await PostAsync(http, "/v1/sessions", $$"""{"agent":"{{agent}}","environment_id":"{{environment}}"}""");
                ids.Add(session);
            }

            var latencies = new List<double>();
            var latencyLock = new Lock();
            var clock = Stopwatch.StartNew();
            var finished = new TimeSpan[ids.Count];
            var delivered = await Task.WhenAll(ids.Select((id, index) => Task.Run(async () =>
            {
                var count = 0;
                // Cancelling aborts the stream at once when the run is over, instead of draining it.
                using var done = new CancellationTokenSource();
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{id}/events/stream");
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, done.Token);
                await using var body = await response.Content.ReadAsStreamAsync();
                var events = SseParser.Create(body).EnumerateAsync(done.Token).GetAsyncEnumerator(done.Token);
                for (var turn = 0; turn < turns; turn++)
                {
                    await PostAsync(http, $"/v1/sessions/{id}/events", """{"events":[{"type":"user.message","content":[{"type":"text","text":"hi"}]}]}""");
                    while (await events.MoveNextAsync())
                    {
                        var item = events.Current;
                        if (item.EventType == "ping")
                        {
                            continue;
                        }

                        var processedAt = JsonDocument.Parse(item.Data).RootElement.GetProperty("processed_at").GetDateTimeOffset();
                        var latency = (DateTimeOffset.UtcNow - processedAt).TotalMilliseconds;
                        lock (latencyLock)
                        {
                            latencies.Add(latency);
                        }

                        count++;
                        if (item.EventType == "session.status_idle")
                        {
                            break;
                        }
                    }
                }

                finished[index] = clock.Elapsed;
                await done.CancelAsync();
                return count;
            })));
            var elapsed = finished.Max();

            var total = delivered.Sum();
            latencies.Sort();
            double Percentile(double p) => latencies[Math.Clamp((int)Math.Ceiling(p * latencies.Count) - 1, 0, latencies.Count - 1)];
            var table = new StringBuilder();
            table.AppendLine(CultureInfo.InvariantCulture, $"| sessions | turns each | events | wall time | events/s | delivery p50 | delivery p99 | max |");
            table.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {sessions} | {turns} | {total:N0} | {elapsed.TotalSeconds:F2} s | {total / elapsed.TotalSeconds:N0} | {Percentile(0.50):F2} ms | {Percentile(0.99):F2} ms | {latencies[^1]:F2} ms |");
            Console.WriteLine(table);
            await app.StopAsync();
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<string> PostAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {body}");
        }

        var root = JsonDocument.Parse(body).RootElement;
        return root.TryGetProperty("id", out var id) ? id.GetString() ?? "" : "";
    }

    /// <summary>An integer option of an end-to-end run (<c>--name N</c>), or the fallback.</summary>
    internal static int Option(string[] args, string name, int fallback) =>
        TextOption(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    /// <summary>An option's text (<c>--name value</c>), or null when it is not given.</summary>
    internal static string? TextOption(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
