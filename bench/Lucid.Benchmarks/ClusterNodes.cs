using System.Globalization;
using System.Text.Json;

namespace Lucid.Benchmarks;

/// <summary>
/// Nodes of one Lucid cluster on loopback: each a real <c>lucid serve</c> child process on one PostgreSQL database, with
/// its own <c>LUCID_HOME</c> (as on its own machine), its own HTTP, node and gateway ports, and an HTTP client. A node can
/// be killed with SIGKILL and started again on the same ports and directory. Disposing kills them all and deletes their
/// directories.
/// </summary>
internal sealed class ClusterNodes : IAsyncDisposable
{
    // Orleans' membership runs on the real clock; this bounds a wait for it.
    private static readonly TimeSpan MembershipPatience = TimeSpan.FromSeconds(120);
    private readonly string _lucidDll;
    private readonly Dictionary<string, string> _environment;
    private readonly Node[] _nodes;

    private ClusterNodes(string lucidDll, Dictionary<string, string> environment, string apiKey, Node[] nodes)
    {
        _lucidDll = lucidDll;
        _environment = environment;
        ApiKey = apiKey;
        _nodes = nodes;
        Clients = [.. nodes.Select(node => node.Client)];
    }

    /// <summary>An API key of the default workspace, good on every node.</summary>
    public string ApiKey { get; }

    /// <summary>One HTTP client per node, in node order, with the API key set; a restarted node keeps its client.</summary>
    public IReadOnlyList<HttpClient> Clients { get; }

    /// <summary>How many nodes.</summary>
    public int Count => _nodes.Length;

    /// <summary>
    /// Starts <paramref name="count"/> nodes on <paramref name="database"/> (an Npgsql connection string), one after the
    /// other, and waits until every node sees all of them active.
    /// </summary>
    /// <param name="lucidDll">The path of <c>lucid.dll</c>.</param>
    /// <param name="database">The cluster's database.</param>
    /// <param name="count">How many nodes.</param>
    /// <param name="environment">Variables added to every node's environment (provider settings).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public static async Task<ClusterNodes> StartAsync(string lucidDll, string database, int count, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var nodeEnvironment = new Dictionary<string, string>(environment) { ["LUCID_DATABASE"] = database };
        var homes = Enumerable.Range(0, count).Select(_ => Directory.CreateTempSubdirectory("lucid-node-").FullName).ToArray();
        string key;
        try
        {
            key = await LucidServeProcess.CreateKeyAsync(lucidDll, homes[0], nodeEnvironment, cancellationToken);
        }
        catch
        {
            foreach (var home in homes)
            {
                Directory.Delete(home, recursive: true);
            }

            throw;
        }

        var cluster = new ClusterNodes(lucidDll, nodeEnvironment, key, [.. homes.Select(home => new Node(home, key))]);
        try
        {
            for (var i = 0; i < count; i++)
            {
                await cluster.StartNodeAsync(i, cancellationToken);
            }

            await cluster.WaitUntilAllActiveAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Node <paramref name="index"/>'s process, while it runs.</summary>
    public LucidServeProcess Process(int index) => _nodes[index].Process ?? throw new InvalidOperationException($"Node {index} is not running.");

    /// <summary>Kills node <paramref name="index"/> with SIGKILL and waits until it has exited.</summary>
    public async Task KillAsync(int index, CancellationToken cancellationToken)
    {
        var node = _nodes[index];
        if (node.Process is { } process)
        {
            node.Process = null;
            await process.KillAsync(cancellationToken);
            await process.DisposeAsync();
        }
    }

    /// <summary>Starts node <paramref name="index"/> again, on its ports and directory, and waits until every node sees all of them active.</summary>
    public async Task RestartAsync(int index, CancellationToken cancellationToken)
    {
        await StartNodeAsync(index, cancellationToken);
        await WaitUntilAllActiveAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            if (node.Process is { } process)
            {
                await process.DisposeAsync();
            }

            node.Client.Dispose();
            Directory.Delete(node.Home, recursive: true);
        }
    }

    private async Task StartNodeAsync(int index, CancellationToken cancellationToken)
    {
        var node = _nodes[index];
        string[] ports =
        [
            "--node-address", "127.0.0.1",
            "--node-port", node.NodePort.ToString(CultureInfo.InvariantCulture),
            "--gateway-port", node.GatewayPort.ToString(CultureInfo.InvariantCulture),
        ];
        node.Process = await LucidServeProcess.ServeAsync(_lucidDll, node.Home, _environment, ApiKey, node.HttpPort, ports, cancellationToken);
    }

    // Every running node lists as many active nodes as there are running nodes (GET /v1/lucid/cluster).
    private async Task WaitUntilAllActiveAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(MembershipPatience);
        var running = _nodes.Where(node => node.Process is not null).ToArray();
        foreach (var node in running)
        {
            while (await ActiveAsync(node.Client, timeout.Token) != running.Length)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), timeout.Token);
            }
        }
    }

    private static async Task<int> ActiveAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync("/v1/lucid/cluster", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return 0;
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.GetProperty("nodes").EnumerateArray().Count(node => node.GetProperty("status").GetString() == "active");
    }

    private sealed class Node
    {
        public Node(string home, string apiKey)
        {
            Home = home;
            HttpPort = LucidServeProcess.FreePort();
            // The run bounds every request with its own cancellation; streams stay open as long as their sessions run.
            Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = Timeout.InfiniteTimeSpan };
            Client.DefaultRequestHeaders.Add("x-api-key", apiKey);
        }

        public string Home { get; }

        public int HttpPort { get; }

        public int NodePort { get; } = LucidServeProcess.FreePort();

        public int GatewayPort { get; } = LucidServeProcess.FreePort();

        public HttpClient Client { get; }

        public LucidServeProcess? Process { get; set; }
    }
}
