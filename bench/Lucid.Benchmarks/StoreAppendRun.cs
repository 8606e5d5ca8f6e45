using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Json;
using Lucid.Sessions;
using Lucid.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Lucid.Benchmarks;

/// <summary>
/// Many concurrent appenders against the SQLite store: each appender owns a session and appends one ~150-byte
/// <c>agent.message</c> at a time, awaiting each append, for a fixed time. Measured in the same run against the floor:
/// raw inserts of the same JSON into a table of the same shape, a prepared statement, 100 events per transaction, WAL
/// and <c>synchronous=FULL</c>.
/// </summary>
internal static class StoreAppendRun
{
    private const int RawBatch = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        var appenders = ApiLoadRun.Option(args, "--appenders", 200);
        var duration = TimeSpan.FromSeconds(ApiLoadRun.Option(args, "--seconds", 5));
        var rounds = ApiLoadRun.Option(args, "--rounds", 3);
        var table = new StringBuilder();
        table.AppendLine("| round | writer | appenders | events | events/s | CPU µs/event | events/commit | append p50 | append p99 |");
        table.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        var rawRates = new List<double>();
        var sequentialRates = new List<double>();
        var storeRates = new List<double>();
        // Round 0 warms up (the JIT compiles and tiers up both paths) and is not reported. Rounds alternate the writers,
        // so load from other processes on the machine falls on all of them alike.
        for (var round = 0; round <= rounds; round++)
        {
            var directory = Directory.CreateTempSubdirectory("lucid-store-append-").FullName;
            try
            {
                var phase = round == 0 ? TimeSpan.FromSeconds(2) : duration;
                var raw = RunRaw(Path.Combine(directory, "raw.db"), appenders, phase, interleaved: true);
                var sequential = RunRaw(Path.Combine(directory, "sequential.db"), appenders, phase, interleaved: false);
                var store = await RunStoreAsync(Path.Combine(directory, "lucid.db"), appenders, phase);
                if (round == 0)
                {
                    continue;
                }

                rawRates.Add(raw.Rate);
                sequentialRates.Add(sequential.Rate);
                storeRates.Add(store.Rate);
                table.AppendLine(CultureInfo.InvariantCulture,
                    $"| {round} | raw INSERT, {RawBatch} per transaction, sessions interleaved | 1 | {raw.Events:N0} | {raw.Rate:N0} | {raw.CpuPerEvent:F1} | {RawBatch} | | |");
                table.AppendLine(CultureInfo.InvariantCulture,
                    $"| {round} | raw INSERT, {RawBatch} per transaction, one session each | 1 | {sequential.Events:N0} | {sequential.Rate:N0} | {sequential.CpuPerEvent:F1} | {RawBatch} | | |");
                table.AppendLine(CultureInfo.InvariantCulture,
                    $"| {round} | SqliteStore.AppendAsync, 1 event each | {appenders} | {store.Events:N0} | {store.Rate:N0} | {store.CpuPerEvent:F1} | {store.PerCommit:F1} | {store.P50:F2} ms | {store.P99:F2} ms |");
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
            }
        }

        var (rawMedian, sequentialMedian, storeMedian) = (Median(rawRates), Median(sequentialRates), Median(storeRates));
        Console.WriteLine(table);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median events/s: raw interleaved {rawMedian:N0}, raw one session per transaction {sequentialMedian:N0}, store {storeMedian:N0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"store/raw: {storeMedian / rawMedian:P1} of interleaved, {storeMedian / sequentialMedian:P1} of one session per transaction"));
        return 0;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    // Random IDs, as the engine makes them: the unique index on event IDs takes each insert at a random place.
    private static AgentMessageEvent Message(long i) => new()
    {
        Id = IdGenerator.Random.NewId("sevt"),
        ProcessedAt = DateTimeOffset.UnixEpoch.AddSeconds(i),
        Content = [new TextBlock($"Message {i}: a typical agent reply of a sentence or two, with some detail in it.")],
    };

    // Interleaved: event k goes to session k mod N, in the order the appenders' events reach the store. Otherwise each
    // transaction holds 100 consecutive events of one session, so its log rows fill a page or two instead of one page
    // per session; only the ID index still takes each row at a random place.
    private static (long Events, double Rate, double CpuPerEvent) RunRaw(string path, int sessions, TimeSpan duration, bool interleaved)
    {
        using var table = RawEventTable.Create(path);
        // The JSON is serialized up front: the floor is SQLite's own cost.
        var payloads = Enumerable.Range(0, RawBatch).Select(i => JsonSerializer.Serialize<SessionEvent>(Message(i), LucidJsonContext.Default.SessionEvent)).ToArray();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long events = 0;
        while (clock.Elapsed < duration)
        {
            using var transaction = table.Begin();
            for (var k = 0; k < RawBatch; k++, events++)
            {
                var (session, sequence) = interleaved
                    ? (events % sessions, events / sessions)
                    : (events / RawBatch % sessions, events / (RawBatch * sessions) * RawBatch + k);
                table.Insert($"sesn_{session:D4}", sequence + 1, IdGenerator.Random.NewId("sevt"), payloads[k]);
            }

            transaction.Commit();
        }

        var elapsed = clock.Elapsed;
        return (events, events / elapsed.TotalSeconds, CpuMicroseconds(cpu) / events);
    }

    private static async Task<(long Events, double Rate, double CpuPerEvent, double PerCommit, double P50, double P99)> RunStoreAsync(string path, int appenders, TimeSpan duration)
    {
        await using var store = await SqliteStore.OpenAsync(path, CancellationToken.None);
        var now = DateTimeOffset.UnixEpoch;
        for (var a = 0; a < appenders; a++)
        {
            await store.CreateSessionAsync(
                new Session { Id = $"sesn_{a:D4}", AgentId = "agent_bench", AgentVersion = 1, EnvironmentId = "env_bench", WorkDirectory = "/tmp", CreatedAt = now, UpdatedAt = now },
                CancellationToken.None);
        }

        var commits = store.Commits;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, appenders).Select(a => Task.Run(async () =>
        {
            var latencies = new List<double>();
            for (long i = 0; clock.Elapsed < duration; i++)
            {
                var started = clock.Elapsed;
                await store.AppendAsync($"sesn_{a:D4}", [Message(i)], CancellationToken.None);
                latencies.Add((clock.Elapsed - started).TotalMilliseconds);
            }

            return latencies;
        })));
        var elapsed = clock.Elapsed;
        var cpuMicroseconds = CpuMicroseconds(cpu);
        commits = store.Commits - commits;
        var all = results.SelectMany(l => l).Order().ToList();
        double Percentile(double q) => all[Math.Clamp((int)Math.Ceiling(q * all.Count) - 1, 0, all.Count - 1)];
        return (all.Count, all.Count / elapsed.TotalSeconds, cpuMicroseconds / all.Count, (double)all.Count / commits, Percentile(0.50), Percentile(0.99));
    }

    // The whole process's CPU time since `start`, in µs: the writer's and the appenders' threads and the runtime's.
    private static double CpuMicroseconds(TimeSpan start) => (Process.GetCurrentProcess().TotalProcessorTime - start).TotalMicroseconds;
}
