using BenchmarkDotNet.Attributes;
using Lucid.Memory;
using Lucid.Storage;
using Lucid.Storage.Sqlite;

namespace Lucid.Benchmarks;

/// <summary>
/// Memory stores on SQLite: write throughput (each write a version, path-conflict check included) and list latency
/// over a store of 10,000 memories, basic (no contents) and full (contents), flat and rolled up by directory.
/// </summary>
[MemoryDiagnoser]
public class MemoryStoreBenchmarks
{
    private const int Memories = 10_000;
    private const int WritesPerOperation = 100;
    private static readonly MemoryActor Actor = MemoryActor.User("user_bench");
    private static readonly string Content = string.Concat(Enumerable.Repeat("A lesson line with a little detail in it. ", 24));
    private string _directory = "";
    private SqliteStore _store = null!;
    private MemoryService _memory = null!;
    private string _big = "";
    private string _writes = "";
    private int _round;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("lucid-bench-memory-").FullName;
        _store = await SqliteStore.OpenAsync(Path.Combine(_directory, "lucid.db"), CancellationToken.None);
        _memory = new MemoryService(_store);
        _big = (await _memory.CreateStoreAsync(Workspaces.Default, "big", null, null, CancellationToken.None)).Value!.Id;
        _writes = (await _memory.CreateStoreAsync(Workspaces.Default, "writes", null, null, CancellationToken.None)).Value!.Id;
        for (var batch = 0; batch < Memories / 500; batch++)
        {
            var edits = Enumerable.Range(batch * 500, 500).Select(i => MemoryEdit.Create($"/area{i % 100:D2}/topic{i / 100 % 10}/note{i:D5}.md", Content)).ToList();
            await _memory.ApplyEditsAsync(Workspaces.Default, _big, edits, Actor, CancellationToken.None);
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Description = "create (one version each)", OperationsPerInvoke = WritesPerOperation)]
    public async Task Create()
    {
        var round = _round++;
        for (var i = 0; i < WritesPerOperation; i++)
        {
            await _memory.CreateMemoryAsync(Workspaces.Default, _writes, $"/r{round:D6}/m{i:D3}.md", Content, Actor, CancellationToken.None);
        }
    }

    [Benchmark(Description = "list first page, basic, 100 of 10k")]
    public Task<Lucid.Results.Result<Page<MemoryListItem>>> ListBasic() =>
        _memory.ListMemoriesAsync(Workspaces.Default, _big, "/", 0, false, new PageRequest(100), CancellationToken.None);

    [Benchmark(Description = "list first page, full, 20 of 10k")]
    public Task<Lucid.Results.Result<Page<MemoryListItem>>> ListFull() =>
        _memory.ListMemoriesAsync(Workspaces.Default, _big, "/", 0, true, new PageRequest(20), CancellationToken.None);

    [Benchmark(Description = "list depth=1 at the root, 100 prefixes over 10k")]
    public Task<Lucid.Results.Result<Page<MemoryListItem>>> ListRolledUp() =>
        _memory.ListMemoriesAsync(Workspaces.Default, _big, "/", 1, false, new PageRequest(100), CancellationToken.None);

    [Benchmark(Description = "page through all 10k, basic")]
    public async Task<int> ListAllBasic()
    {
        var count = 0;
        string? cursor = null;
        do
        {
            var page = (await _memory.ListMemoriesAsync(Workspaces.Default, _big, "/", 0, false, new PageRequest(100, cursor), CancellationToken.None)).Value!;
            count += page.Items.Count;
            cursor = page.NextPage;
        }
        while (cursor is not null);
        return count;
    }
}
