using Lucid.Storage;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Storage;

/// <summary>The in-memory store passes the eval contract.</summary>
public sealed class InMemoryEvalContractTests : EvalContractTests
{
    protected override Task<ILucidStore> CreateStoreAsync() => Task.FromResult<ILucidStore>(new InMemoryStore());
}
