using Anthropic;
using Anthropic.Core;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Lucid.Testing.Server;
using Microsoft.Playwright;

namespace Lucid.Console.Tests;

/// <summary>
/// A real Lucid server with two workspaces, and Debian's Chromium driven by Playwright. The browser is the system's
/// (<c>/usr/bin/chromium</c>, or <c>LUCID_CHROMIUM</c>), installed by <c>.ci/run</c>; Playwright's own browser
/// download is never used.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public LucidTestServer Server { get; } = new();

    public IBrowser Browser { get; private set; } = default!;

    public AnthropicClient Alpha => Client(Server.AlphaKey);

    public AnthropicClient Beta => Client(Server.BetaKey);

    /// <summary>Where the tests save their screenshots: <c>artifacts/console</c> at the repository's root.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot(), "artifacts", "console");

    public AnthropicClient Client(string key) => new(new ClientOptions { ApiKey = key, BaseUrl = Server.BaseUrl, MaxRetries = 0, ResponseValidation = true });

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("LUCID_CHROMIUM") is { Length: > 0 } set ? set : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException($"The console's browser tests need Chromium at {chromium} (apt-get install chromium, as .ci/run does; or set LUCID_CHROMIUM).");
        }

        await Server.StartAsync();
        _playwright = await Playwright.CreateAsync();
        // --no-sandbox: CI runs as root, where Chromium refuses its own sandbox; the pages are Lucid's own.
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-dev-shm-usage"] });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>A new browser context (its own cookies) with a page signed in with <paramref name="key"/>, on the fixture's server or on <paramref name="server"/>.</summary>
    public async Task<IPage> SignedInAsync(string key, LucidTestServer? server = null)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = (server ?? Server).BaseUrl, ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/sessions");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/console/sessions");
        return page;
    }

    /// <summary>Saves a screenshot, of the whole page unless <paramref name="fullPage"/> is false, as <c>artifacts/console/NAME.png</c>.</summary>
    public static Task ScreenshotAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = fullPage });

    /// <summary>Runs axe-core on the page and fails on any violation of WCAG 2 A/AA rules, naming each.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa"] } });
        var problems = result.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join("; ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}").ToList();
        Assert.True(problems.Count == 0, $"Accessibility violations on {page.Url}:\n" + string.Join("\n", problems));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lucid.slnx")))
            {
                return dir.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleTestGroup : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
