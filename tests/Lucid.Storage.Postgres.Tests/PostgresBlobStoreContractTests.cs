using Lucid.Testing.Storage;

namespace Lucid.Storage.Postgres.Tests;

public sealed class PostgresBlobStoreContractTests : BlobStoreContractTests, IAsyncLifetime
{
    private readonly List<PostgresStore> _stores = [];

    protected override async Task<IBlobStore> CreateBlobStoreAsync()
    {
        var store = await PostgresStore.OpenAsync(await (await PostgresServer.Shared).CreateDatabaseAsync(), CancellationToken.None);
        _stores.Add(store);
        return store.Blobs;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }
}
