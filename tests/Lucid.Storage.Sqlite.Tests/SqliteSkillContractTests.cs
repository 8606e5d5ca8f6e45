using Lucid.Storage;
using Lucid.Testing.Storage;

namespace Lucid.Storage.Sqlite.Tests;

public sealed class SqliteSkillContractTests : SkillContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lucid-sqlite-skills-").FullName;

    protected override async Task<ILucidStore> CreateStoreAsync() =>
        await SqliteStore.OpenAsync(Path.Combine(_directory, $"{Guid.NewGuid():N}.db"), CancellationToken.None);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
