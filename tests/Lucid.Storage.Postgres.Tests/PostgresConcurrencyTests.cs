using Lucid.Dreams;
using Lucid.Memory;
using Lucid.Testing.Storage;
using static Lucid.Storage.Postgres.Tests.PostgresWriterTests;

namespace Lucid.Storage.Postgres.Tests;

/// <summary>
/// Several stores on one database, as several processes would be: each has its own writer and connections, so nothing
/// they share lives in memory, only in the database's locks and constraints.
/// </summary>
public sealed class PostgresConcurrencyTests
{
    private const int Processes = 3;

    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Stores_opening_a_new_database_at_once_apply_each_migration_once()
    {
        var database = await (await PostgresServer.Shared).CreateDatabaseAsync();

        var stores = await Task.WhenAll(Enumerable.Range(0, Processes).Select(_ => PostgresStore.OpenAsync(database, None)));

        foreach (var store in stores)
        {
            Assert.Equal(Migrations.All.Count, await store.SchemaVersionAsync(None));
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Appends_to_one_session_from_several_stores_number_its_log_without_gaps_or_duplicates()
    {
        var stores = await OpenAsync();
        await CreateSessionsAsync(stores[0], 1);

        // Each store appends batches of one to three events from many callers at once; every batch lands.
        var appends = stores.SelectMany((store, s) => Enumerable.Range(0, 20).Select(i =>
            store.AppendAsync(SessionId(0), [.. Enumerable.Range(0, 1 + (i % 3)).Select(k => Message((s * 100) + (i * 3) + k))], None))).ToList();
        var logged = (await Task.WhenAll(appends)).SelectMany(batch => batch).ToList();

        var log = await stores[1].ReadAsync(SessionId(0), 0, 1000, None);
        Assert.Equal(Enumerable.Range(1, logged.Count).Select(i => (long)i), log.Select(e => e.Sequence));
        Assert.Equal(logged.OrderBy(e => e.Sequence).Select(e => e.Event.Id), log.Select(e => e.Event.Id));
        Assert.Equal(logged.Count, (await stores[2].GetSessionAsync(SessionId(0), None))?.LastSequence);
        await DisposeAsync(stores);
    }

    [Fact]
    public async Task Conditional_memory_updates_from_several_stores_have_one_winner()
    {
        var stores = await OpenAsync();
        var services = stores.Select(store => new MemoryService(store)).ToList();
        var notes = (await services[0].CreateStoreAsync(Workspaces.Default, "notes", null, null, None)).Value!.Id;
        var created = (await services[0].ApplyEditsAsync(Workspaces.Default, notes, [MemoryEdit.Create("/n.md", "v0")], MemoryActor.User("user_a"), None)).Value;
        var sha = Assert.Single(created ?? [])?.ContentSha256;

        // Every writer updates the memory only if it still holds v0: exactly one succeeds.
        var updates = services.SelectMany((memory, s) => Enumerable.Range(0, 5).Select(i =>
            memory.ApplyEditsAsync(Workspaces.Default, notes, [MemoryEdit.Update("/n.md", $"v{s}.{i}", sha)], MemoryActor.User("user_a"), None))).ToList();
        var results = await Task.WhenAll(updates);

        Assert.Single(results, r => r.IsSuccess);
        var versions = await stores[1].ListMemoryVersionsAsync(notes, new MemoryVersionQuery(), new PageRequest(100), None);
        Assert.Equal(2, versions.Items.Count);
        await DisposeAsync(stores);
    }

    [Fact]
    public async Task Dreams_holding_one_store_created_from_several_stores_at_once_leave_one_holder()
    {
        var stores = await OpenAsync();
        var t0 = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

        var holders = await Task.WhenAll(stores.SelectMany((store, s) => Enumerable.Range(0, 4).Select(i => store.CreateDreamAsync(
            new Dream { Id = $"drm_{s}_{i}", WorkspaceId = Workspaces.Default, InputStoreId = "memstore_held", SessionIds = [], Model = "scripted/dreamer", OutputBehavior = DreamOutputBehavior.UpdateExisting, CreatedAt = t0 },
            None))));

        Assert.Single(holders, h => h is null);
        var stored = Assert.Single((await stores[0].ListDreamsAsync(null, new DreamQuery(), new PageRequest(100), None)).Items);
        Assert.All(holders.Where(h => h is not null), h => Assert.Equal(stored.Id, h));
        await DisposeAsync(stores);
    }

    private static async Task<PostgresStore[]> OpenAsync()
    {
        var database = await (await PostgresServer.Shared).CreateDatabaseAsync();
        var stores = new PostgresStore[Processes];
        for (var i = 0; i < Processes; i++)
        {
            stores[i] = await PostgresStore.OpenAsync(database, None);
        }

        return stores;
    }

    private static async Task DisposeAsync(IEnumerable<PostgresStore> stores)
    {
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }
}
