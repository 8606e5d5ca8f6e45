using Lucid.Storage;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Storage;

/// <summary>The in-memory store passes the learning policy contract.</summary>
public sealed class InMemoryLearningPolicyContractTests : LearningPolicyContractTests
{
    protected override Task<ILucidStore> CreateStoreAsync() => Task.FromResult<ILucidStore>(new InMemoryStore());
}
