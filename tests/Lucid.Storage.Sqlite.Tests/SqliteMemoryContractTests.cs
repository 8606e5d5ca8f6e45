using Lucid.Storage;
using Lucid.Testing.Storage;

namespace Lucid.Storage.Sqlite.Tests;

public sealed class SqliteMemoryContractTests : MemoryContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lucid-sqlite-memory-").FullName;

    protected override async Task<ILucidStore> CreateStoreAsync() =>
        await SqliteStore.OpenAsync(Path.Combine(_directory, $"{Guid.NewGuid():N}.db"), CancellationToken.None);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
