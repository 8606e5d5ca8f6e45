using System.Globalization;
using System.Runtime.InteropServices;
using Lucid.Testing.Providers;
using Lucid.Testing.Storage;
using Npgsql;

namespace Lucid.Benchmarks;

/// <summary>
/// One node against a cluster of several, each node a real <c>lucid serve</c> on one throwaway PostgreSQL server, all on
/// this machine's loopback, with many one-turn sessions at once on a model with a fixed latency: sessions and events per
/// second, wall time, and each node's CPU time and share. The one-node run is the baseline, measured in the same run.
/// Then, with <c>--failover-rounds N</c>, the failover time when a node running sessions is killed (<see cref="ClusterFailover"/>).
/// </summary>
internal static class ClusterRun
{
    private const double ThroughputRatioTarget = 0.9;
    private const double ShareSpreadTarget = 0.2;
    private static readonly TimeSpan WarmUpPause = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(string[] args)
    {
        var sessions = ApiLoadRun.Option(args, "--sessions", 600);
        var nodeCount = ApiLoadRun.Option(args, "--nodes", 3);
        var latency = TimeSpan.FromMilliseconds(ApiLoadRun.Option(args, "--model-latency-ms", 500));
        var rounds = ApiLoadRun.Option(args, "--rounds", 3);
        var warmupSessions = ApiLoadRun.Option(args, "--warmup-sessions", 200);
        var warmupRounds = ApiLoadRun.Option(args, "--warmup-rounds", 6);
        var streamOffset = ApiLoadRun.Option(args, "--stream-offset", 1);
        var failover = new ClusterFailover.Settings(
            Rounds: ApiLoadRun.Option(args, "--failover-rounds", 0),
            Sessions: ApiLoadRun.Option(args, "--failover-sessions", 10),
            ModelLatency: TimeSpan.FromMilliseconds(ApiLoadRun.Option(args, "--failover-model-latency-ms", 3000)),
            Timeout: TimeSpan.FromSeconds(ApiLoadRun.Option(args, "--failover-timeout-s", 60)));
        var timeout = TimeSpan.FromSeconds(ApiLoadRun.Option(args, "--timeout-s", 3600));
        var lucidDll = ApiLoadRun.TextOption(args, "--lucid") ?? Path.Combine(AppContext.BaseDirectory, "lucid.dll");

        // The whole run is bounded; Ctrl+C ends it the same way, so the nodes are killed and their directories deleted.
        // The PostgreSQL server stops when this process ends (PostgresServer's reaper).
        await using var run = await ServeRunSetup.StartAsync(timeout);
        var environment = run.ModelVariables();
        var postgres = await PostgresServer.Shared;
        var postgresCpu = PostgresCpu.Of(Path.Combine(postgres.Directory, "data"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"lucid serve nodes ({lucidDll}) on PostgreSQL at 127.0.0.1:{postgres.Port} (fsync off) · {Environment.ProcessorCount} cores · {RuntimeInformation.OSDescription} · .NET {Environment.Version} · load average {LoadAverage()}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sessions} one-turn sessions at once on a {latency.TotalMilliseconds:F0} ms model, created on the nodes in turn, each streamed from the node {streamOffset} after its creator; {rounds} measured rounds after {warmupRounds} warm-up rounds of {warmupSessions} on an instant model."));

        var phase = new Phase(postgresCpu, warmupSessions, warmupRounds, sessions, rounds, run.Model);
        Configuration single;
        await using (var one = await ClusterNodes.StartAsync(lucidDll, await DatabaseAsync(postgres), 1, environment, run.Stop))
        {
            single = await phase.MeasureAsync(one, await OneTurnClient.CreateAsync(one.Clients, 0, "openai/test", run.Stop), latency, run.Stop);
        }

        await using var cluster = await ClusterNodes.StartAsync(lucidDll, await DatabaseAsync(postgres), nodeCount, environment, run.Stop);
        var client = await OneTurnClient.CreateAsync(cluster.Clients, streamOffset, "openai/test", run.Stop);
        var several = await phase.MeasureAsync(cluster, client, latency, run.Stop);
        ClusterTable.Print([single, several], sessions, latency, ThroughputRatioTarget, ShareSpreadTarget);
        if (failover.Rounds > 0)
        {
            run.Model.Fallback = ConcurrentSessionsRun.Reply(failover.ModelLatency);
            ClusterFailover.Print(await ClusterFailover.RunAsync(cluster, client, failover, run.Stop), failover);
        }

        Console.WriteLine($"load average at the end: {LoadAverage()}");
        return 0;
    }

    // A fresh database for each configuration, so neither inherits the other's logs. Each node's pool (which Orleans'
    // membership shares: same connection string) is capped the same in both, so that three nodes and their listeners
    // stay under the throwaway server's 300 connections.
    private static async Task<string> DatabaseAsync(PostgresServer postgres) =>
        new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()) { MaxPoolSize = 80 }.ConnectionString;

    /// <summary>The 1, 5 and 15 minute load averages (<c>/proc/loadavg</c>), as <c>uptime</c> prints them.</summary>
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    // Warm-up rounds on the instant model (each followed by a pause, for the background compiler), then the measured
    // rounds on the model with latency.
    private sealed record Phase(PostgresCpu? PostgresCpu, int WarmupSessions, int WarmupRounds, int Sessions, int Rounds, FakeOpenAIServer Model)
    {
        public async Task<Configuration> MeasureAsync(ClusterNodes cluster, OneTurnClient client, TimeSpan latency, CancellationToken cancellationToken)
        {
            Model.Fallback = ConcurrentSessionsRun.Reply(TimeSpan.Zero);
            for (var round = 1; round <= WarmupRounds; round++)
            {
                var warm = await RoundAsync(cluster, client, WarmupSessions, cancellationToken);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{cluster.Count} node(s), warm-up {round}: {WarmupSessions} sessions in {warm.Wall.TotalSeconds:F2} s, node CPU {string.Join(" + ", warm.NodeCpu.Select(c => c.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture)))} ms"));
                await Task.Delay(WarmUpPause, cancellationToken);
            }

            Model.Fallback = ConcurrentSessionsRun.Reply(latency);
            var measured = new List<Round>();
            for (var round = 1; round <= Rounds; round++)
            {
                measured.Add(await RoundAsync(cluster, client, Sessions, cancellationToken));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{cluster.Count} node(s), round {round}: {Sessions} sessions in {measured[^1].Wall.TotalSeconds:F2} s, load average {LoadAverage()}"));
            }

            return new Configuration(cluster.Count, [.. measured.OrderBy(r => r.Wall)]);
        }

        // Node CPU is read just before the sessions start and just after the last one is idle.
        private async Task<Round> RoundAsync(ClusterNodes cluster, OneTurnClient client, int sessions, CancellationToken cancellationToken)
        {
            var before = Enumerable.Range(0, cluster.Count).Select(i => Cpu(cluster.Process(i))).ToArray();
            var postgresBefore = PostgresCpu?.Total();
            var run = await client.RunAsync(sessions, cancellationToken);
            var after = Enumerable.Range(0, cluster.Count).Select(i => Cpu(cluster.Process(i))).ToArray();
            var postgresAfter = PostgresCpu?.Total();
            return new Round(run, run.Max(s => s.Finished), [.. after.Zip(before, (a, b) => a - b)], postgresAfter - postgresBefore);
        }

        private static TimeSpan Cpu(LucidServeProcess node)
        {
            var (user, kernel) = node.CpuTime();
            return user + kernel;
        }
    }

    /// <summary>One round: the sessions as their clients saw them, its wall time, each node's CPU time and PostgreSQL's.</summary>
    internal sealed record Round(OneTurn[] Sessions, TimeSpan Wall, TimeSpan[] NodeCpu, TimeSpan? PostgresCpu)
    {
        public long Events => Sessions.Sum(s => (long)s.Streamed);
    }

    /// <summary>A number of nodes and its rounds, fastest first.</summary>
    internal sealed record Configuration(int Nodes, Round[] Rounds)
    {
        public Round Median => Rounds[Rounds.Length / 2];
    }
}
