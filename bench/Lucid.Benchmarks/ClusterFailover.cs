using System.Diagnostics;
using System.Globalization;

namespace Lucid.Benchmarks;

/// <summary>
/// Failover time, round by round: sessions created through one node (which owns them) are followed from another; once
/// every one is in its model call, the owner is killed with SIGKILL, and the run times, from the kill, each session's
/// <c>session.status_rescheduled</c> and its idle, up to a timeout. Then the node is started again (on its ports and
/// directory) and the sessions not yet idle are followed for another timeout, to see what the restart's recovery did.
/// A session not rescheduled within the timeout is counted as such, never left out.
/// </summary>
internal static class ClusterFailover
{
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(30);

    /// <summary>How many rounds, sessions per round, the model's latency in the failover rounds, and the timeout after the kill (and after the restart).</summary>
    public sealed record Settings(int Rounds, int Sessions, TimeSpan ModelLatency, TimeSpan Timeout);

    /// <summary>One session of a round: when its events arrived, from the kill; null when they did not.</summary>
    /// <param name="Round">The round, from 1.</param>
    /// <param name="Killed">The node killed in the round.</param>
    /// <param name="Restarted">When the killed node was started again, from the kill.</param>
    /// <param name="Rescheduled">When <c>session.status_rescheduled</c> arrived.</param>
    /// <param name="Idle">When the turn's <c>session.status_idle</c> arrived.</param>
    /// <param name="Error">Why its stream ended early, if it did.</param>
    public sealed record Outcome(int Round, int Killed, TimeSpan Restarted, TimeSpan? Rescheduled, TimeSpan? Idle, string? Error)
    {
        public bool RescheduledBeforeRestart => Rescheduled < Restarted;

        public bool IdleBeforeRestart => Idle < Restarted;
    }

    public static async Task<List<Outcome>> RunAsync(ClusterNodes cluster, OneTurnClient client, Settings settings, CancellationToken cancellationToken)
    {
        var outcomes = new List<Outcome>();
        for (var round = 1; round <= settings.Rounds; round++)
        {
            var killed = (round - 1) % cluster.Count;
            var follower = (killed + 1) % cluster.Count;
            outcomes.AddRange(await RoundAsync(cluster, client, settings, round, killed, follower, cancellationToken));
            var last = outcomes.TakeLast(settings.Sessions).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"failover round {round}: killed node {ClusterTable.Letter(killed)}; rescheduled before its restart {last.Count(o => o.RescheduledBeforeRestart)} of {last.Length}, idle before it {last.Count(o => o.IdleBeforeRestart)}; node restarted {last[0].Restarted.TotalSeconds:F1} s after the kill; idle in the end {last.Count(o => o.Idle is not null)}; load average {ClusterRun.LoadAverage()}"));
        }

        return outcomes;
    }

    public static void Print(List<Outcome> outcomes, Settings settings)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Failover: {settings.Rounds} rounds of {settings.Sessions} sessions on a {settings.ModelLatency.TotalMilliseconds:F0} ms model, created through one node and followed from the next; that node killed (SIGKILL) once every session's model request had started; timeout {settings.Timeout.TotalSeconds:F0} s, then the node restarted and the sessions followed for another {settings.Timeout.TotalSeconds:F0} s."));
        Console.WriteLine("| round | node killed | sessions | rescheduled before the restart | idle before the restart | timed out (not idle before the restart) | node restarted after | rescheduled after the restart | never idle | stream errors |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var round in outcomes.GroupBy(o => o.Round))
        {
            var all = round.ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {round.Key} | {ClusterTable.Letter(all[0].Killed)} | {all.Length} | {all.Count(o => o.RescheduledBeforeRestart)} | {all.Count(o => o.IdleBeforeRestart)} | {all.Count(o => !o.IdleBeforeRestart)} | {all[0].Restarted.TotalSeconds:F1} s | {all.Count(o => o.Rescheduled is not null && !o.RescheduledBeforeRestart)} | {all.Count(o => o.Idle is null)} | {all.Count(o => o.Error is not null)} |"));
        }

        foreach (var error in outcomes.Select(o => o.Error).OfType<string>().Distinct().Take(5))
        {
            Console.WriteLine($"stream error: {error}");
        }

        // Percentiles over every session: one that timed out counts as slower than any that did not.
        Console.WriteLine();
        Console.WriteLine("From the kill (timed out: not before the node's restart, counted as slower than every other session):");
        Console.WriteLine("| to | sessions | in time | p50 | p90 | p99 | max |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        PrintDistribution("session.status_rescheduled", [.. outcomes.Select(o => o.RescheduledBeforeRestart ? o.Rescheduled : null)]);
        PrintDistribution("session.status_idle", [.. outcomes.Select(o => o.IdleBeforeRestart ? o.Idle : null)]);
        var afterRestart = outcomes.Where(o => o.Rescheduled is not null && !o.RescheduledBeforeRestart).ToArray();
        if (afterRestart.Length > 0)
        {
            Console.WriteLine();
            Console.WriteLine("Sessions rescheduled only once the killed node was started again (by its startup recovery), from the restart:");
            Console.WriteLine("| to | sessions | in time | p50 | p90 | p99 | max |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            PrintDistribution("session.status_rescheduled", [.. afterRestart.Select(o => o.Rescheduled - o.Restarted)]);
            PrintDistribution("session.status_idle", [.. afterRestart.Select(o => o.Idle - o.Restarted)]);
        }

        var p99 = Percentile([.. outcomes.Select(o => o.RescheduledBeforeRestart ? o.Rescheduled : null)], 0.99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target failover (kill to session.status_rescheduled) under {Target.TotalSeconds:F0} s at p99: {(p99 < Target ? "met" : "NOT met")} ({Text(p99)}; {outcomes.Count(o => !o.RescheduledBeforeRestart)} of {outcomes.Count} sessions not rescheduled within {settings.Timeout.TotalSeconds:F0} s of the kill)"));
    }

    private static async Task<Outcome[]> RoundAsync(ClusterNodes cluster, OneTurnClient client, Settings settings, int round, int killed, int follower, CancellationToken cancellationToken)
    {
        using var streams = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        var watches = new List<SessionWatch>();
        for (var i = 0; i < settings.Sessions; i++)
        {
            var id = await OneTurnClient.PostAsync(cluster.Clients[killed], "/v1/sessions", client.SessionJson("Say done."), cancellationToken);
            watches.Add(SessionWatch.Follow(cluster.Clients[follower], id, clock, streams.Token));
        }

        await Task.WhenAll(watches.Select(w => w.ModelStarted)).WaitAsync(settings.Timeout, cancellationToken);
        var killedAt = clock.Elapsed;
        await cluster.KillAsync(killed, cancellationToken);
        await WaitAsync(watches, settings.Timeout, cancellationToken);
        var restarted = clock.Elapsed - killedAt;
        await cluster.RestartAsync(killed, cancellationToken);
        await WaitAsync(watches, settings.Timeout, cancellationToken);
        await streams.CancelAsync();
        return [.. watches.Select(w => new Outcome(round, killed, restarted, w.Rescheduled - killedAt, w.Idle - killedAt, w.Error))];
    }

    // Until every session is idle (or its stream has ended), or the timeout.
    private static async Task WaitAsync(List<SessionWatch> watches, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(watches.Select(w => w.Ended)).WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Counted: the sessions without an idle event are the ones that timed out.
        }
    }

    private static void PrintDistribution(string to, TimeSpan?[] times) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {to} | {times.Length} | {times.Count(t => t is not null)} | {Text(Percentile(times, 0.50))} | {Text(Percentile(times, 0.90))} | {Text(Percentile(times, 0.99))} | {Text(Percentile(times, 1.0))} |"));

    // Null (timed out) sorts after every time.
    private static TimeSpan? Percentile(TimeSpan?[] times, double p)
    {
        if (times.Length == 0)
        {
            return null;
        }

        var sorted = times.OrderBy(t => t ?? TimeSpan.MaxValue).ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static string Text(TimeSpan? time) => time is { } t ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:F1} s") : "timed out";
}
