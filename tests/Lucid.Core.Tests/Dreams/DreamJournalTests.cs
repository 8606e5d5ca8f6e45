using System.Reflection;
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
            var first = await DreamJournal.CreateAsync(store, new EventHub(store), dream, root, TimeProvider.System, IdGenerator.Random, CancellationToken.None);

            // The second dream read before the first one created the rows: it sees none, and its inserts hit the unique keys.
            var racing = RaceProxy.Over(store);
            var second = await DreamJournal.CreateAsync(racing, new EventHub(racing), dream with { Id = "drm_2" }, root, TimeProvider.System, IdGenerator.Random, CancellationToken.None);

            var a = (await store.GetSessionAsync(first.SessionId, CancellationToken.None))!;
            var b = (await store.GetSessionAsync(second.SessionId, CancellationToken.None))!;
            Assert.Equal((a.AgentId, a.EnvironmentId), (b.AgentId, b.EnvironmentId));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>A store whose first read of each agent or environment finds nothing, as if another writer had not committed yet.</summary>
    internal class RaceProxy : DispatchProxy
    {
        private readonly HashSet<string> _hidden = new(StringComparer.Ordinal);
        private ILucidStore _inner = null!;

        public static ILucidStore Over(ILucidStore inner)
        {
            var proxy = Create<ILucidStore, RaceProxy>();
            ((RaceProxy)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(ILucidStore.GetEnvironmentAsync) && _hidden.Add(targetMethod.Name))
            {
                return Task.FromResult<Lucid.Environments.AgentEnvironment?>(null);
            }

            if (targetMethod.Name == nameof(ILucidStore.GetAgentAsync) && _hidden.Add(targetMethod.Name))
            {
                return Task.FromResult<Lucid.Agents.Agent?>(null);
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
        }
    }
}
