using Lucid.Dreams;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Storage;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Dreams;

public sealed class DreamJournalTests
{
    [Fact]
    public async Task Two_dreams_starting_together_share_the_derived_agent_and_environment_instead_of_failing()
    {
        var store = new InMemoryStore();
        var root = Directory.CreateTempSubdirectory("lucid-journal-").FullName;
        try
        {
            var dream = new Dream
            {
                Id = "drm_1", WorkspaceId = Workspaces.Default, InputStoreId = "memstore_1", SessionIds = ["sesn_1"], Model = "scripted/dreamer",
                OutputBehavior = DreamOutputBehavior.CreateNew, CreatedAt = DateTimeOffset.UnixEpoch,
            };
            var first = await DreamJournal.CreateAsync(store, new EventHub(store), dream, root, Lucid.Secrets.SecretScanner.PatternsOnly, TimeProvider.System, IdGenerator.Random, CancellationToken.None);

            // The second dream read before the first one created the rows: it sees none, and its inserts hit the unique keys.
            var hidden = new HashSet<string>(StringComparer.Ordinal);
            var (racing, hooks) = StoreInterceptor.Over(store);
            hooks.Intercept = name => name switch
            {
                nameof(ILucidStore.GetEnvironmentAsync) when hidden.Add(name) => Task.FromResult<Lucid.Environments.AgentEnvironment?>(null),
                nameof(ILucidStore.GetAgentAsync) when hidden.Add(name) => Task.FromResult<Lucid.Agents.Agent?>(null),
                _ => null,
            };
            var second = await DreamJournal.CreateAsync(racing, new EventHub(racing), dream with { Id = "drm_2" }, root, Lucid.Secrets.SecretScanner.PatternsOnly, TimeProvider.System, IdGenerator.Random, CancellationToken.None);

            var a = (await store.GetSessionAsync(first.SessionId, CancellationToken.None))!;
            var b = (await store.GetSessionAsync(second.SessionId, CancellationToken.None))!;
            Assert.Equal((a.AgentId, a.EnvironmentId), (b.AgentId, b.EnvironmentId));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
