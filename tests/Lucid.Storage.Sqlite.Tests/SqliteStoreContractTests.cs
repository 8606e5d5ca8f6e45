using Lucid.Storage;
using Lucid.Storage.Sqlite;
using Lucid.Testing.Storage;

namespace Lucid.Storage.Sqlite.Tests;

public sealed class SqliteStoreContractTests : StoreContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lucid-sqlite-").FullName;

    protected override async Task<ILucidStore> CreateStoreAsync() =>
        await SqliteStore.OpenAsync(Path.Combine(_directory, $"{Guid.NewGuid():N}.db"), CancellationToken.None);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
