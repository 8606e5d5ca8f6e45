using Lucid.Auth;
using Lucid.Providers;
using Lucid.Server;
using Lucid.Sessions;
using Lucid.Storage.Sqlite;
using Lucid.Testing.Providers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Lucid.Testing.Server;

/// <summary>
/// A real Lucid server on a loopback port over a SQLite file (or the PostgreSQL database <see cref="Database"/> names), whose agents' model (<c>anthropic/claude-fake</c>) is a
/// fake Anthropic Messages API, with two API keys in two workspaces.
/// </summary>
public sealed class LucidTestServer : IAsyncDisposable
{
    /// <summary>The model string that reaches <see cref="Upstream"/>.</summary>
    public const string Model = "anthropic/claude-fake";

    private readonly string _directory = Directory.CreateTempSubdirectory("lucid-server-").FullName;
    private WebApplication? _app;
    private Lucid.Storage.ILucidStore? _store;
    private LucidServerOptions? _options;

    /// <summary>Scripted models, reached by model strings starting with <c>scripted/</c> (such as a dream's <c>scripted/dreamer</c>).</summary>
    public Lucid.Testing.Models.ScriptedModels Scripted { get; } = new();

    /// <summary>The fake model provider.</summary>
    public FakeAnthropicServer Upstream { get; } = new();

    /// <summary>An Npgsql connection string: the server keeps everything there instead of in the SQLite file. Null for SQLite.</summary>
    public string? Database { get; init; }

    /// <summary>Settings of the PostgreSQL store, when <see cref="Database"/> names one.</summary>
    public Lucid.Storage.Postgres.PostgresStoreOptions PostgresOptions { get; init; } = new();
    /// <summary>Makes the server a node of a cluster (on <see cref="Database"/>); null for a single node.</summary>
    public Lucid.Server.Cluster.IClusterHosting? Cluster { get; init; }

    /// <summary>The server's address.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>A key of workspace <c>alpha</c>.</summary>
    public string AlphaKey { get; private set; } = "";

    /// <summary>A key of workspace <c>beta</c>.</summary>
    public string BetaKey { get; private set; } = "";

    /// <summary>The server's data directory: the SQLite file and, under <c>workspaces</c>, the sessions' work directories.</summary>
    public string DataDirectory => _directory;

    /// <summary>The SQLite file.</summary>
    public string DatabasePath => Path.Combine(_directory, "lucid.db");

    /// <summary>Where environments' packages are installed.</summary>
    public string PackagesRoot => Path.Combine(_directory, "packages");

    /// <summary>Where the Files API's blobs are.</summary>
    public string FilesRoot => Path.Combine(_directory, "files");

    /// <summary>The parent of the sessions' work directories.</summary>
    public string WorkDirectoriesRoot => Path.Combine(_directory, "workspaces");

    /// <summary>
    /// Starts the upstream and the server; <paramref name="engine"/> sets the engine's options (its work directories and
    /// installed packages stay under <see cref="DataDirectory"/>). Requests are not rate-limited unless <paramref name="rateLimit"/> sets a limit:
    /// how many requests a test makes per second depends on the machine, and a test must not. <paramref name="time"/> is the server's clock.
    /// </summary>
    public async Task StartAsync(long maxRequestBodyBytes = 1024 * 1024, SqliteStoreOptions? storeOptions = null, SessionEngineOptions? engine = null, ApiRateLimit? rateLimit = null, TimeProvider? time = null, Lucid.Webhooks.WebhookOptions? webhooks = null)
    {
        await Upstream.StartAsync();
        _store = Database is { } database
            ? await Lucid.Storage.Postgres.PostgresStore.OpenAsync(database, PostgresOptions, CancellationToken.None)
            : await SqliteStore.OpenAsync(DatabasePath, storeOptions ?? new SqliteStoreOptions(), CancellationToken.None);
        var keys = new ApiKeyService(_store);
        AlphaKey = (await keys.CreateAsync("alpha", "tests", CancellationToken.None)).Value.Secret;
        BetaKey = (await keys.CreateAsync("beta", "tests", CancellationToken.None)).Value.Secret;
        var settings = engine ?? new SessionEngineOptions();
        _options = new LucidServerOptions
        {
            Urls = "http://127.0.0.1:0",
            Store = _store,
            Models = new Lucid.Testing.Models.RoutedModels(Scripted, new ModelResolver(new ProviderSettings { AnthropicApiKey = "sk-ant-fake", AnthropicBaseUrl = Upstream.BaseUrl, MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(1) })),
            Engine = settings with { WorkDirectoriesRoot = WorkDirectoriesRoot, Packages = settings.Packages with { Root = PackagesRoot }, Files = settings.Files with { Root = FilesRoot } },
            MaxRequestBodyBytes = maxRequestBodyBytes,
            RateLimit = rateLimit,
            Webhooks = webhooks ?? new Lucid.Webhooks.WebhookOptions(),
            TimeProvider = time ?? TimeProvider.System,
            Cluster = Cluster,
        };
        await StartAppAsync();
    }

    /// <summary>
    /// Stops the server and starts a new one on the same data, as a process restart would (on a new port);
    /// <paramref name="whileStopped"/> runs in between (to move a test clock while the server is down).
    /// </summary>
    public async Task RestartAsync(Action? whileStopped = null)
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }

        whileStopped?.Invoke();
        await StartAppAsync();
    }

    private async Task StartAppAsync()
    {
        _app = LucidServer.Build(_options ?? throw new InvalidOperationException("The server has not started."));
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.First()
            ?? throw new InvalidOperationException("The server has no address.");
    }

    /// <summary>One of the running server's services, for a test to act as something the API cannot (a session's agent, a dream).</summary>
    public T Service<T>() where T : notnull => _app is null ? throw new InvalidOperationException("The server has not started.") : _app.Services.GetRequiredService<T>();

    /// <summary>An HTTP client for the server that sends a key.</summary>
    public HttpClient Http(string? key)
    {
        var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("x-api-key", key);
        }

        return http;
    }

    /// <summary>Every row of every table and every file of the data directory (<see cref="DataSnapshot"/>): equal snapshots mean nothing changed.</summary>
    public Task<string> SnapshotAsync() => Database is null
        ? DataSnapshot.TakeAsync(_directory, DatabasePath)
        : throw new InvalidOperationException("A snapshot reads the SQLite file; this server is on PostgreSQL.");

    /// <summary>
    /// The method and route pattern (such as <c>GET /v1/agents/{id}</c>) of every endpoint the server maps under <c>/v1</c>,
    /// from its endpoint data source; a group's own route (<c>/v1/agents/</c>) without its trailing slash.
    /// </summary>
    public IReadOnlyList<(string Method, string Pattern)> ApiRoutes()
    {
        var app = _app ?? throw new InvalidOperationException("The server is not started.");
        return [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Pattern: e.RoutePattern.RawText?.TrimEnd('/') ?? "")))
            .OrderBy(r => r.Pattern, StringComparer.Ordinal)
            .ThenBy(r => r.Method, StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        await Upstream.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
