using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lucid.Auth;
using Lucid.Server;
using Lucid.Storage.Sqlite;
using Lucid.Testing.Models;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Lucid.Benchmarks;

/// <summary>
/// How long the console's session page takes for a session of 10,000 events (a timeline of every model request and
/// tool call, and the first page of the transcript), measured on the server (time to the last byte of the HTML) and in
/// Chromium (navigation to the load event), against two baselines in the same run: the same page for a session of
/// 100 events, and reading the 10,000 events through the API (ten pages of 1,000).
/// </summary>
internal static partial class ConsolePageRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var events = Option(args, "--events", 10_000);
        var runs = Option(args, "--runs", 20);
        var directory = Directory.CreateTempSubdirectory("lucid-console-").FullName;
        try
        {
            await using var store = await SqliteStore.OpenAsync(Path.Combine(directory, "lucid.db"), CancellationToken.None);
            var (key, secret) = (await new ApiKeyService(store).CreateAsync(Workspaces.Default, "bench", CancellationToken.None)).Value;
            _ = key;
            await using var app = LucidServer.Build(new LucidServerOptions
            {
                Urls = "http://127.0.0.1:0",
                Store = store,
                Models = new ScriptedModels().With("instant", new InstantChatClient()),
                Engine = new Sessions.SessionEngineOptions { WorkDirectoriesRoot = Path.Combine(directory, "workspaces") },
                RateLimit = null,
            });
            await app.StartAsync();
            var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.First() ?? throw new InvalidOperationException("no address");
            using var api = new HttpClient { BaseAddress = new Uri(baseUrl) };
            api.DefaultRequestHeaders.Add("x-api-key", secret);
            var agent = await IdOfAsync(api, "/v1/agents", """{"name":"bench","model":"instant"}""");
            var environment = await IdOfAsync(api, "/v1/environments", """{"name":"bench"}""");
            var large = await SeedAsync(store, 1, events, agent, environment);
            var small = await SeedAsync(store, 2, 100, agent, environment);

            var cookies = new CookieContainer();
            using var console = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
            await SignInAsync(console, secret);

            var rows = new List<(string Name, List<double> Server, List<double> Browser, long Bytes)>
            {
                ($"console page, {events:N0} events", [], [], 0),
                ("console page, 100 events (baseline)", [], [], 0),
                ($"API: list {events:N0} events (baseline)", [], [], 0),
            };
            for (var i = 0; i <= runs; i++)
            {
                // Run 0 warms up (JIT, page cache) and is not counted.
                var (a, aBytes) = await TimeAsync(() => console.GetAsync($"/console/sessions/{large}"));
                var (b, bBytes) = await TimeAsync(() => console.GetAsync($"/console/sessions/{small}"));
                var c = await TimeListAsync(api, large);
                if (i > 0)
                {
                    rows[0].Server.Add(a);
                    rows[1].Server.Add(b);
                    rows[2].Server.Add(c);
                    rows[0] = rows[0] with { Bytes = aBytes };
                    rows[1] = rows[1] with { Bytes = bBytes };
                }
            }

            await BrowseAsync(baseUrl, secret, runs, [(large, rows[0].Browser), (small, rows[1].Browser)]);
            var table = new StringBuilder();
            table.AppendLine("| what | server p50 | server p95 | Chromium load p50 | Chromium load p95 | HTML |");
            table.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (name, server, browser, bytes) in rows)
            {
                table.AppendLine(CultureInfo.InvariantCulture,
                    $"| {name} | {P(server, 0.5):F0} ms | {P(server, 0.95):F0} ms | {(browser.Count > 0 ? $"{P(browser, 0.5):F0} ms" : "—")} | {(browser.Count > 0 ? $"{P(browser, 0.95):F0} ms" : "—")} | {(bytes > 0 ? $"{bytes / 1024.0:F0} KiB" : "—")} |");
            }

            Console.WriteLine($"{runs} runs each after one warm-up, on {Environment.ProcessorCount} cores.");
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

    private static async Task<string> SeedAsync(SqliteStore store, int index, int count, string agent, string environment)
    {
        var session = GeneratedSessions.Session(index) with { AgentId = agent, EnvironmentId = environment, Title = $"{count:N0} events" };
        await store.CreateSessionAsync(session, CancellationToken.None);
        foreach (var chunk in GeneratedSessions.Events(index, count).Chunk(500))
        {
            await store.AppendAsync(session.Id, chunk, CancellationToken.None);
        }

        return session.Id;
    }

    private static async Task SignInAsync(HttpClient console, string secret)
    {
        var login = await console.GetStringAsync("/console/login");
        var token = TokenPattern().Match(login).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "login", ["__RequestVerificationToken"] = token, ["Secret"] = secret });
        using var response = await console.PostAsync("/console/login", form);
        if (response.StatusCode != HttpStatusCode.Found)
        {
            throw new InvalidOperationException($"Signing in answered {(int)response.StatusCode}.");
        }
    }

    private static async Task<(double Ms, long Bytes)> TimeAsync(Func<Task<HttpResponseMessage>> get)
    {
        var clock = Stopwatch.StartNew();
        using var response = await get();
        var body = await response.Content.ReadAsByteArrayAsync();
        var ms = clock.Elapsed.TotalMilliseconds;
        response.EnsureSuccessStatusCode();
        return (ms, body.Length);
    }

    private static async Task<double> TimeListAsync(HttpClient api, string session)
    {
        var clock = Stopwatch.StartNew();
        string? page = null;
        do
        {
            var json = await api.GetStringAsync($"/v1/sessions/{session}/events?limit=1000" + (page is null ? "" : "&page=" + Uri.EscapeDataString(page)));
            using var document = JsonDocument.Parse(json);
            page = document.RootElement.TryGetProperty("next_page", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (page is not null);
        return clock.Elapsed.TotalMilliseconds;
    }

    // Chromium from the system (as the console's tests use); skipped with a note when it is not installed.
    private static async Task BrowseAsync(string baseUrl, string secret, int runs, IReadOnlyList<(string Session, List<double> Times)> pages)
    {
        if (!File.Exists("/usr/bin/chromium"))
        {
            Console.WriteLine("No /usr/bin/chromium: the browser columns are left out.");
            return;
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-dev-shm-usage"] });
        var page = await browser.NewPageAsync(new() { BaseURL = baseUrl });
        await page.GotoAsync("/console/login");
        await page.GetByLabel("API key").FillAsync(secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/console/sessions");
        for (var i = 0; i <= runs; i++)
        {
            foreach (var (session, times) in pages)
            {
                var clock = Stopwatch.StartNew();
                await page.GotoAsync($"/console/sessions/{session}", new() { WaitUntil = WaitUntilState.Load });
                if (i > 0)
                {
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }
            }
        }
    }

    private static async Task<string> IdOfAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("id").GetString()!;
    }

    private static double P(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
