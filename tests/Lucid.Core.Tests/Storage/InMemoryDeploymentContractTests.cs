using Lucid.Storage;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Storage;

/// <summary>The in-memory store passes the deployment contract.</summary>
public sealed class InMemoryDeploymentContractTests : DeploymentContractTests
{
    protected override Task<ILucidStore> CreateStoreAsync() => Task.FromResult<ILucidStore>(new InMemoryStore());
}
