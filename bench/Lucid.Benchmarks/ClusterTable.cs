using System.Globalization;

namespace Lucid.Benchmarks;

/// <summary>Prints the one-node and several-node runs of <see cref="ClusterRun"/> in one table, with the ratio and the spread of the nodes' CPU shares against their targets.</summary>
internal static class ClusterTable
{
    public static void Print(IReadOnlyList<ClusterRun.Configuration> configurations, int sessions, TimeSpan latency, double ratioTarget, double spreadTarget)
    {
        var baseline = configurations[0];
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sessions} one-turn sessions at once on a {latency.TotalMilliseconds:F0} ms model; median of {baseline.Rounds.Length} rounds by wall time (range in brackets); the first row is the baseline."));
        Console.WriteLine("| nodes | wall time | sessions/s | events/s | vs 1 node | session latency p50 / p99 | CPU per node (share) | nodes' CPU | of which background JIT | CPU per session | PostgreSQL CPU |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|");
        foreach (var configuration in configurations)
        {
            var m = configuration.Median;
            var total = m.NodeCpu.Aggregate(TimeSpan.Zero, (sum, cpu) => sum + cpu);
            var shares = string.Join(" · ", m.NodeCpu.Select((cpu, i) => string.Create(CultureInfo.InvariantCulture, $"{Letter(i)} {cpu.TotalMilliseconds:N0} ms ({cpu / total:P0})")));
            var postgres = m.PostgresCpu is { } pg ? string.Create(CultureInfo.InvariantCulture, $"{pg.TotalMilliseconds:N0} ms") : "–";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {configuration.Nodes} | {m.Wall.TotalMilliseconds:N0} ms ({configuration.Rounds[0].Wall.TotalMilliseconds:N0}–{configuration.Rounds[^1].Wall.TotalMilliseconds:N0}) | {Rate(m.Sessions.Length, m):N0} | {Rate(m.Events, m):N0} | {Rate(m.Sessions.Length, m) / Rate(baseline.Median.Sessions.Length, baseline.Median):F2}× | {Percentile(m, 0.50):N0} / {Percentile(m, 0.99):N0} ms | {shares} | {total.TotalMilliseconds:N0} ms ({total / m.Wall:F2} cores) | {ClusterRun.Milliseconds(m.BackgroundJit)} | {(total / m.Sessions.Length).TotalMilliseconds:F2} ms | {postgres} |"));
        }

        foreach (var configuration in configurations.Skip(1))
        {
            var ratio = Rate(configuration.Median.Sessions.Length, configuration.Median) / Rate(baseline.Median.Sessions.Length, baseline.Median);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"target {configuration.Nodes} nodes ≥ {ratioTarget}× one node's sessions/s: {(ratio >= ratioTarget ? "met" : "NOT met")} ({ratio:F2}×)"));
            var cpu = configuration.Median.NodeCpu;
            var spread = cpu.Max() / cpu.Min() - 1;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"target each node's CPU share within {spreadTarget:P0} of the others': {(spread <= spreadTarget ? "met" : "NOT met")} (the busiest node used {spread:P0} more than the least busy)"));
        }
    }

    /// <summary>The nodes' names in the tables: A, B, C…</summary>
    public static char Letter(int node) => (char)('A' + node);

    private static double Rate(long count, ClusterRun.Round round) => count / round.Wall.TotalSeconds;

    private static double Percentile(ClusterRun.Round round, double p)
    {
        var sorted = round.Sessions.Select(s => s.Latency.TotalMilliseconds).Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
