using BenchmarkDotNet.Attributes;
using Lucid.Events;
using Lucid.Json;
using Lucid.Sessions;
using Lucid.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using System.Text.Json;

namespace Lucid.Benchmarks;

/// <summary>
/// Event append throughput of the SQLite store (one transaction per batch, sequence numbers, session projection)
/// against the floor: raw batched inserts of the same JSON into a bare table with a prepared statement.
/// </summary>
[MemoryDiagnoser]
public class EventAppendBenchmarks
{
    private const int EventsPerOperation = 1000;
    private string _directory = "";
    private SqliteStore _store = null!;
    private RawEventTable _raw = null!;
    private string _sessionId = "";
    private SessionEvent[] _events = [];
    private string[] _payloads = [];
    private int _session;

    [Params(1, 10, 100)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("lucid-bench-").FullName;
        _store = await SqliteStore.OpenAsync(Path.Combine(_directory, "lucid.db"), CancellationToken.None);
        _raw = RawEventTable.Create(Path.Combine(_directory, "raw.db"));
    }

    // Each iteration appends to a fresh session fresh events: event IDs are unique across the log.
    [IterationSetup]
    public void NewSession()
    {
        _sessionId = $"sesn_bench{_session++:D8}";
        _events = [.. Enumerable.Range(0, EventsPerOperation).Select(i => (SessionEvent)new AgentMessageEvent
        {
            Id = $"sevt_{_session:D8}{i:D16}",
            ProcessedAt = DateTimeOffset.UnixEpoch.AddSeconds(i),
            Content = [new TextBlock($"Message {i}: a typical agent reply of a sentence or two, with some detail in it.")],
        })];
        _payloads = [.. _events.Select(e => JsonSerializer.Serialize(e, LucidJsonContext.Default.SessionEvent))];
        var now = DateTimeOffset.UnixEpoch;
        _store.CreateSessionAsync(
            new Session { Id = _sessionId, AgentId = "agent_bench", AgentVersion = 1, EnvironmentId = "env_bench", WorkDirectory = _directory, CreatedAt = now, UpdatedAt = now },
            CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark(Description = "SqliteStore.AppendAsync", OperationsPerInvoke = EventsPerOperation)]
    public async Task StoreAppend()
    {
        for (var i = 0; i < EventsPerOperation; i += BatchSize)
        {
            await _store.AppendAsync(_sessionId, new ArraySegment<SessionEvent>(_events, i, BatchSize), CancellationToken.None);
        }
    }

    [Benchmark(Baseline = true, Description = "raw batched INSERT", OperationsPerInvoke = EventsPerOperation)]
    public void RawInsert()
    {
        for (var i = 0; i < EventsPerOperation; i += BatchSize)
        {
            using var transaction = _raw.Begin();
            for (var k = i; k < i + BatchSize; k++)
            {
                _raw.Insert(_sessionId, k + 1, _events[k].Id, _payloads[k]);
            }

            transaction.Commit();
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        _raw.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
