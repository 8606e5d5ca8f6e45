using Lucid.Storage;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Storage;

/// <summary>The in-memory store passes the memory contract.</summary>
public sealed class InMemoryMemoryContractTests : MemoryContractTests
{
    protected override Task<ILucidStore> CreateStoreAsync() => Task.FromResult<ILucidStore>(new InMemoryStore());
}
