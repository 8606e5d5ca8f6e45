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

    public static async Task<int> RunAsync(string[] args)
    {
        var sessions = ApiLoadRun.Option(args, "--sessions", 600);
        var nodeCount = ApiLoadRun.Option(args, "--nodes", 3);
        var latency = TimeSpan.FromMilliseconds(ApiLoadRun.Option(args, "--model-latency-ms", 500));
        var rounds = ApiLoadRun.Option(args, "--rounds", 3);
        var warmupSessions = ApiLoadRun.Option(args, "--warmup-sessions", 200);
        var warmupRounds = ApiLoadRun.Option(args, "--warmup-rounds", 40);
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
            $"{sessions} one-turn sessions at once on a {latency.TotalMilliseconds:F0} ms model, created on the nodes in turn, each streamed from the node {streamOffset} after its creator; {rounds} measured rounds after warm-up rounds of {warmupSessions} on an instant model until the nodes' background JIT is quiet (at most {warmupRounds})."));

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

    internal static string Milliseconds(TimeSpan? time) =>
        time is { } t ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:N0} ms") : "–";

    /// <summary>The 1, 5 and 15 minute load averages (<c>/proc/loadavg</c>), as <c>uptime</c> prints them.</summary>
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    // Warm-up rounds on the instant model until every node's background compiler is quiet (JitWarmUp), then the
    // measured rounds on the model with latency, each also followed by the pause, so none inherits another's backlog.
    private sealed record Phase(PostgresCpu? PostgresCpu, int WarmupSessions, int WarmupRounds, int Sessions, int Rounds, FakeOpenAIServer Model)
    {
        public async Task<Configuration> MeasureAsync(ClusterNodes cluster, OneTurnClient client, TimeSpan latency, CancellationToken cancellationToken)
        {
            var jit = Enumerable.Range(0, cluster.Count).Select(i => JitThreadCpu.Start(cluster.Process(i).Id)).ToArray();
            try
            {
                Model.Fallback = ConcurrentSessionsRun.Reply(TimeSpan.Zero);
                await JitWarmUp.RunAsync(WarmupRounds, async (round, ct) =>
                {
                    var warm = await RoundAsync(cluster, client, jit, WarmupSessions, ct);
                    var pauseJit = await PauseAsync(jit, ct);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{cluster.Count} node(s), warm-up {round}: {WarmupSessions} sessions in {warm.Wall.TotalSeconds:F2} s, node CPU {string.Join(" + ", warm.NodeCpu.Select(c => c.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture)))} ms, of which background JIT {Milliseconds(warm.BackgroundJit)}; background JIT in the pause after it {Milliseconds(pauseJit)}"));
                    return new JitWarmUp.RoundCpu(warm.NodeCpu.Aggregate(TimeSpan.Zero, (sum, cpu) => sum + cpu), warm.BackgroundJit + pauseJit);
                }, cancellationToken);

                Model.Fallback = ConcurrentSessionsRun.Reply(latency);
                var measured = new List<Round>();
                for (var round = 1; round <= Rounds; round++)
                {
                    measured.Add(await RoundAsync(cluster, client, jit, Sessions, cancellationToken));
                    await PauseAsync(jit, cancellationToken);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{cluster.Count} node(s), round {round}: {Sessions} sessions in {measured[^1].Wall.TotalSeconds:F2} s, background JIT {Milliseconds(measured[^1].BackgroundJit)}, load average {LoadAverage()}"));
                }

                return new Configuration(cluster.Count, [.. measured.OrderBy(r => r.Wall)]);
            }
            finally
            {
                foreach (var sampler in jit.OfType<JitThreadCpu>())
                {
                    await sampler.DisposeAsync();
                }
            }
        }

        // Node CPU is read just before the sessions start and just after the last one is idle.
        private async Task<Round> RoundAsync(ClusterNodes cluster, OneTurnClient client, JitThreadCpu?[] jit, int sessions, CancellationToken cancellationToken)
        {
            var jitBefore = BackgroundJit(jit);
            var before = Enumerable.Range(0, cluster.Count).Select(i => Cpu(cluster.Process(i))).ToArray();
            var postgresBefore = PostgresCpu?.Total();
            var run = await client.RunAsync(sessions, cancellationToken);
            var after = Enumerable.Range(0, cluster.Count).Select(i => Cpu(cluster.Process(i))).ToArray();
            var postgresAfter = PostgresCpu?.Total();
            return new Round(run, run.Max(s => s.Finished), [.. after.Zip(before, (a, b) => a - b)], postgresAfter - postgresBefore, BackgroundJit(jit) - jitBefore);
        }

        // The nodes' background JIT in one pause.
        private static async Task<TimeSpan?> PauseAsync(JitThreadCpu?[] jit, CancellationToken cancellationToken)
        {
            var before = BackgroundJit(jit);
            await Task.Delay(JitWarmUp.Pause, cancellationToken);
            return BackgroundJit(jit) - before;
        }

        // All nodes' background compilers' CPU time so far, or null where /proc cannot tell it.
        private static TimeSpan? BackgroundJit(JitThreadCpu?[] jit) =>
            jit.All(j => j is not null) ? jit.Aggregate(TimeSpan.Zero, (sum, j) => sum + j!.Total()) : null;

        private static TimeSpan Cpu(LucidServeProcess node)
        {
            var (user, kernel) = node.CpuTime();
            return user + kernel;
        }
    }

    /// <summary>One round: the sessions as their clients saw them, its wall time, each node's CPU time, PostgreSQL's, and the part of the nodes' CPU their background compilers used.</summary>
    internal sealed record Round(OneTurn[] Sessions, TimeSpan Wall, TimeSpan[] NodeCpu, TimeSpan? PostgresCpu, TimeSpan? BackgroundJit)
    {
        public long Events => Sessions.Sum(s => (long)s.Streamed);
    }

    /// <summary>A number of nodes and its rounds, fastest first.</summary>
    internal sealed record Configuration(int Nodes, Round[] Rounds)
    {
        public Round Median => Rounds[Rounds.Length / 2];
    }
}
