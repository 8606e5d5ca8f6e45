using System.Diagnostics;
using System.Globalization;
using Lucid.Dreams;
using Lucid.Importing;
using Lucid.Storage.Sqlite;
using Lucid.Testing.Data;

namespace Lucid.Benchmarks;

/// <summary>
/// End to end on real transcripts: import every τ-bench trajectory into a fresh SQLite store (fsync per commit), then
/// digest and mine them all. Prints time and allocation per phase and the process's peak working set.
/// </summary>
internal static class ImportMineRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = ApiLoadRun.Option(args, "--runs", 3);
        var file = TauBenchData.AllTrialsPath;
        Console.WriteLine($"source: {file} ({new FileInfo(file).Length / 1024} KiB)");
        Console.WriteLine("| run | trajectories | events | import | import alloc | mine | mine alloc | peak working set |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var run = 1; run <= runs; run++)
        {
            var directory = Directory.CreateTempSubdirectory("lucid-bench-").FullName;
            try
            {
                await using var store = await SqliteStore.OpenAsync(Path.Combine(directory, "lucid.db"), CancellationToken.None);
                using var importer = new TranscriptImporter(store, new Events.EventHub(store), new ImportOptions { WorkDirectoriesRoot = Path.Combine(directory, "workspaces") });
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var clock = Stopwatch.StartNew();
                ImportReport report;
                await using (var source = File.OpenRead(file))
                {
                    report = (await importer.ImportAsync(Workspaces.Default, ImportFormats.TauBench, Path.GetFileName(file), source, CancellationToken.None)).Value!;
                }

                var importTime = clock.Elapsed;
                var importAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;

                allocated = GC.GetTotalAllocatedBytes(precise: true);
                clock.Restart();
                var mined = (await new SessionMining(store).MineAsync(Workspaces.Default, [.. report.Imported.Select(i => i.SessionId)], CancellationToken.None)).Value!;
                var mineTime = clock.Elapsed;
                var mineAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
                using var process = Process.GetCurrentProcess();
                process.Refresh();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {run} | {report.Imported.Count} | {mined.Events} | {importTime.TotalMilliseconds:0} ms | {importAllocated / 1048576.0:0.0} MiB | {mineTime.TotalMilliseconds:0} ms | {mineAllocated / 1048576.0:0.0} MiB | {process.PeakWorkingSet64 / 1048576.0:0} MiB |"));
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
            }
        }

        return 0;
    }
}
