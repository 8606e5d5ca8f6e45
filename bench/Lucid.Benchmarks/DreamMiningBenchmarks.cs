using BenchmarkDotNet.Attributes;
using Lucid.Dreams;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Storage;
using Lucid.Storage.Sqlite;

namespace Lucid.Benchmarks;

/// <summary>
/// Digest and mine 100 generated sessions of 200 events each: from events already in memory (the pipeline's own cost),
/// and from the SQLite store (reading and deserializing each log a page at a time, as <c>lucid dream mine</c> does).
/// </summary>
[MemoryDiagnoser]
public class DreamMiningBenchmarks
{
    private const int Sessions = 100;
    private const int EventsPerSession = 200;
    private readonly List<(Session Session, List<LoggedEvent> Events)> _logs = [];
    private string _directory = "";
    private SqliteStore _store = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("lucid-bench-").FullName;
        _store = await SqliteStore.OpenAsync(Path.Combine(_directory, "lucid.db"), CancellationToken.None);
        for (var i = 0; i < Sessions; i++)
        {
            var session = GeneratedSessions.Session(i);
            var events = GeneratedSessions.Events(i, EventsPerSession);
            _logs.Add((session, [.. events.Select((e, s) => new LoggedEvent(session.Id, s + 1, e))]));
            await _store.CreateSessionAsync(session, CancellationToken.None);
            await _store.AppendAsync(session.Id, events, CancellationToken.None);
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public MiningReport InMemory()
    {
        var miner = new PatternMiner();
        foreach (var (session, events) in _logs)
        {
            var digester = new SessionDigester(session);
            foreach (var e in events)
            {
                digester.Add(e);
            }

            miner.Add(digester.Build());
        }

        return miner.Build();
    }

    [Benchmark]
    public async Task<MiningReport> FromSqlite()
    {
        var report = await new SessionMining(_store).MineAsync(Workspaces.Default, [.. _logs.Select(l => l.Session.Id)], CancellationToken.None);
        return report.Value!;
    }
}
