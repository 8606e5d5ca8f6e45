using Lucid.Testing.Storage;

namespace Lucid.Storage.Postgres.Tests;

public sealed class PostgresSkillContractTests : SkillContractTests
{
    protected override async Task<ILucidStore> CreateStoreAsync() =>
        await PostgresStore.OpenAsync(await (await PostgresServer.Shared).CreateDatabaseAsync(), CancellationToken.None);
}
