using Lucid.Auth;
using Lucid.Providers;
using Lucid.Server;
using Lucid.Sessions;
using Lucid.Storage.Sqlite;
using Lucid.Testing.Providers;
using Lucid.Testing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Lucid.Testing.Server;

/// <summary>
/// A real Lucid server on a loopback port over a SQLite file (or the PostgreSQL database <see cref="Database"/> names), whose agents' model (<c>anthropic/claude-fake</c>) is a
/// fake Anthropic Messages API, with two API keys in two workspaces; or, as <see cref="Nodes"/> says, several servers as
/// the nodes of one cluster, behind a router.
/// </summary>
public sealed class LucidTestServer : IAsyncDisposable
{
    /// <summary>The model string that reaches <see cref="Upstream"/>.</summary>
    public const string Model = "anthropic/claude-fake";

    private readonly string _directory = Directory.CreateTempSubdirectory("lucid-server-").FullName;
    private readonly List<TestNode> _nodes = [];
    private string? _database;
    private NodeRouter? _router;

    /// <summary>Scripted models, reached by model strings starting with <c>scripted/</c> (such as a dream's <c>scripted/dreamer</c>).</summary>
    public Lucid.Testing.Models.ScriptedModels Scripted { get; } = new();

    /// <summary>The fake model provider.</summary>
    public FakeAnthropicServer Upstream { get; } = new();

    /// <summary>An Npgsql connection string: the server keeps everything there instead of in the SQLite file. Null for SQLite.</summary>
    public string? Database { get => _database; init => _database = value; }

    /// <summary>Settings of the PostgreSQL store, when <see cref="Database"/> names one.</summary>
    public Lucid.Storage.Postgres.PostgresStoreOptions PostgresOptions { get; init; } = new();
    /// <summary>Makes the server a node of a cluster (on <see cref="Database"/>); null for a single node.</summary>
    public Lucid.Server.Cluster.IClusterHosting? Cluster { get; init; }

    /// <summary>
    /// How many nodes the server is: more than one makes it that many nodes of a cluster on a new database of the test
    /// process's PostgreSQL server (unless <see cref="Database"/> or <see cref="Cluster"/> is set, which make one node),
    /// behind a <see cref="Router"/>. By default <see cref="TestCluster.Nodes"/>, from the environment.
    /// </summary>
    public int Nodes { get; init; } = TestCluster.Nodes;

    /// <summary>What routes requests to the nodes of a cluster; null for one node.</summary>
    public NodeRouter? Router => _router;

    /// <summary>The server's address: the router's, in a cluster.</summary>
    public string BaseUrl => _router?.BaseUrl ?? First.BaseUrl;

    private TestNode First => Node(0);

    /// <summary>A key of workspace <c>alpha</c>.</summary>
    public string AlphaKey { get; private set; } = "";

    /// <summary>A key of workspace <c>beta</c>.</summary>
    public string BetaKey { get; private set; } = "";

    /// <summary>
    /// The server's data directory: the SQLite file and, under <c>workspaces</c>, the sessions' work directories; in a
    /// cluster, the first node's (the others' are under it, in <c>node-1</c>, <c>node-2</c>…).
    /// </summary>
    public string DataDirectory => _directory;

    /// <summary>The SQLite file.</summary>
    public string DatabasePath => Path.Combine(_directory, "lucid.db");

    /// <summary>Where environments' packages are installed.</summary>
    public string PackagesRoot => Path.Combine(_directory, "packages");

    /// <summary>Where the Files API's blobs are on SQLite (on PostgreSQL they are in the database); in a cluster, the first node's.</summary>
    public string FilesRoot => Path.Combine(_directory, "files");

    /// <summary>The parent of the sessions' work directories; in a cluster, the first node's.</summary>
    public string WorkDirectoriesRoot => Path.Combine(_directory, "workspaces");

    /// <summary>
    /// A session's work directory on the node that created it (in a cluster, a session a deployment starts is created by
    /// whichever node got the call): the first node's path when no node has it.
    /// </summary>
    public string WorkDirectoryOf(string sessionId) =>
        _nodes.Select(node => Path.Combine(node.Options.Engine.WorkDirectoriesRoot, sessionId)).FirstOrDefault(Directory.Exists)
            ?? Path.Combine(WorkDirectoriesRoot, sessionId);

    /// <summary>
    /// Starts the upstream and the server; <paramref name="engine"/> sets the engine's options (its work directories and
    /// installed packages stay under <see cref="DataDirectory"/>). Requests are not rate-limited unless <paramref name="rateLimit"/> sets a limit:
    /// how many requests a test makes per second depends on the machine, and a test must not. <paramref name="time"/> is the server's clock.
    /// As <see cref="Nodes"/> nodes of a cluster, every node gets the same options, upstream and scripted models, and a data
    /// directory of its own (<see cref="DataDirectory"/> is the first node's), so nothing but the database is shared.
    /// </summary>
    public async Task StartAsync(long maxRequestBodyBytes = 1024 * 1024, SqliteStoreOptions? storeOptions = null, SessionEngineOptions? engine = null, ApiRateLimit? rateLimit = null, TimeProvider? time = null, Lucid.Webhooks.WebhookOptions? webhooks = null)
    {
        await Upstream.StartAsync();
        var clustered = Nodes > 1 && Database is null && Cluster is null;
        _database = clustered ? await (await PostgresServer.Shared).CreateDatabaseAsync() : Database;
        // One set of engine options for every node, so they share one vault key, as the nodes of a deployment share `vault.key`.
        engine ??= new SessionEngineOptions();
        for (var i = 0; i < (clustered ? Nodes : 1); i++)
        {
            var settings = NodeSettings(engine, i);
            Lucid.Storage.ILucidStore store = _database is { } database
                ? await Lucid.Storage.Postgres.PostgresStore.OpenAsync(database, PostgresOptions, CancellationToken.None)
                : await SqliteStore.OpenAsync(DatabasePath, storeOptions ?? new SqliteStoreOptions(), CancellationToken.None);
            _nodes.Add(new TestNode(new LucidServerOptions
            {
                Urls = "http://127.0.0.1:0",
                Store = store,
                Models = new Lucid.Testing.Models.RoutedModels(Scripted, new ModelResolver(new ProviderSettings { AnthropicApiKey = "sk-ant-fake", AnthropicBaseUrl = Upstream.BaseUrl, MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(1) })),
                Engine = settings,
                MaxRequestBodyBytes = maxRequestBodyBytes,
                RateLimit = rateLimit,
                Webhooks = webhooks ?? new Lucid.Webhooks.WebhookOptions(),
                TimeProvider = time ?? TimeProvider.System,
                Cluster = clustered ? TestCluster.Node(_database!) : Cluster,
            }));
        }

        var keys = new ApiKeyService(_nodes[0].Options.Store);
        AlphaKey = (await keys.CreateAsync("alpha", "tests", CancellationToken.None)).Value.Secret;
        BetaKey = (await keys.CreateAsync("beta", "tests", CancellationToken.None)).Value.Secret;
        foreach (var node in _nodes)
        {
            await node.StartAsync();
        }

        if (clustered)
        {
            await TestCluster.WaitForMembersAsync([.. _nodes.Select(node => node.Services)]);
            _router = new NodeRouter([.. _nodes.Select(node => (Func<string>)(() => node.BaseUrl))]);
            await _router.StartAsync();
        }
    }

    // Each node has a data directory of its own, as on its own machine: the first node's is the server's (where the
    // sessions it creates keep their work directories), the others' are under it.
    private SessionEngineOptions NodeSettings(SessionEngineOptions engine, int node)
    {
        var directory = node == 0 ? _directory : Path.Combine(_directory, $"node-{node}");
        return engine with
        {
            WorkDirectoriesRoot = Path.Combine(directory, "workspaces"),
            Packages = engine.Packages with { Root = Path.Combine(directory, "packages") },
            Files = engine.Files with { Root = Path.Combine(directory, "files") },
        };
    }

    /// <summary>
    /// Stops the server and starts a new one on the same data, as a process restart would (on a new port);
    /// <paramref name="whileStopped"/> runs in between (to move a test clock while the server is down). In a cluster, the first node.
    /// </summary>
    public async Task RestartAsync(Action? whileStopped = null)
    {
        await First.StopAsync();
        whileStopped?.Invoke();
        await First.StartAsync();
    }

    /// <summary>
    /// One of the running server's services, for a test to act as something the API cannot (a session's agent, a dream):
    /// in a cluster, of the node <paramref name="node"/> (by default the first, which creates the sessions and so owns them).
    /// </summary>
    public T Service<T>(int node = 0) where T : notnull => Node(node).Services.GetRequiredService<T>();

    private TestNode Node(int index) => index < _nodes.Count ? _nodes[index] : throw new InvalidOperationException("The server has not started.");

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
    public Task<string> SnapshotAsync() => Database is { } database
        ? DataSnapshot.TakePostgresAsync(_directory, database)
        : DataSnapshot.TakeAsync(_directory, DatabasePath);

    /// <summary>
    /// The method and route pattern (such as <c>GET /v1/agents/{id}</c>) of every endpoint the server maps under <c>/v1</c>,
    /// from its endpoint data source; a group's own route (<c>/v1/agents/</c>) without its trailing slash.
    /// </summary>
    public IReadOnlyList<(string Method, string Pattern)> ApiRoutes() =>
        [.. Service<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Pattern: e.RoutePattern.RawText?.TrimEnd('/') ?? "")))
            .OrderBy(r => r.Pattern, StringComparer.Ordinal)
            .ThenBy(r => r.Method, StringComparer.Ordinal)];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_router is not null)
        {
            await _router.DisposeAsync();
        }

        // The last node first: a cluster's nodes leave one by one.
        for (var i = _nodes.Count - 1; i >= 0; i--)
        {
            await _nodes[i].DisposeAsync();
        }

        await Upstream.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
