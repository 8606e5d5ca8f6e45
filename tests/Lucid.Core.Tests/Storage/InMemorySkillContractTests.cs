using Lucid.Storage;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Storage;

/// <summary>The in-memory store passes the skill contract.</summary>
public sealed class InMemorySkillContractTests : SkillContractTests
{
    protected override Task<ILucidStore> CreateStoreAsync() => Task.FromResult<ILucidStore>(new InMemoryStore());
}
