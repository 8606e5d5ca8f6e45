using BenchmarkDotNet.Attributes;
using Lucid.Agents;
using Lucid.Environments;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Storage;
using Lucid.Storage.Sqlite;
using Lucid.Testing.Models;
using Lucid.Testing.Storage;
using Microsoft.Extensions.AI;

namespace Lucid.Benchmarks;

/// <summary>
/// The engine's own cost per turn: send a message, run one model request on a model that answers instantly, commit the
/// turn's events (running, span start/end, message, idle) and see the idle event arrive on a subscription.
/// </summary>
[MemoryDiagnoser]
public class EngineTurnBenchmarks
{
    private string _directory = "";
    private ILucidStore _store = null!;
    private SessionEngine _engine = null!;
    private string _agentId = "";
    private string _environmentId = "";

    [Params("sqlite", "memory")]
    public string Store { get; set; } = "sqlite";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("lucid-bench-").FullName;
        _store = Store == "sqlite" ? await SqliteStore.OpenAsync(Path.Combine(_directory, "lucid.db"), CancellationToken.None) : new InMemoryStore();
        _engine = new SessionEngine(_store, new ScriptedModels().With("instant", new InstantChatClient()), new SessionEngineOptions { WorkDirectoriesRoot = _directory });
        var agent = await new AgentService(_store, _store).CreateAsync(Workspaces.Default, new AgentDefinition { Name = "bench", Model = "instant" }, CancellationToken.None);
        var environment = await new EnvironmentService(_store).CreateAsync(Workspaces.Default, "bench", null, null, null, CancellationToken.None);
        _agentId = agent.Value!.Id;
        _environmentId = environment.Value!.Id;
    }

    // A fresh session per 20 turns keeps the history (and so the model request) the size of a short conversation.
    [Benchmark(Description = "turn: send → idle", OperationsPerInvoke = TurnsPerSession)]
    public async Task Turn()
    {
        var session = await _engine.Sessions.CreateAsync(Workspaces.Default, new SessionDefinition { AgentId = _agentId, EnvironmentId = _environmentId }, CancellationToken.None);
        var sessionId = session.Value!.Id;
        for (var i = 0; i < TurnsPerSession; i++)
        {
            var sent = await _engine.Sessions.SendAsync(Workspaces.Default, sessionId, [new UserMessageEvent { Content = [new TextBlock("hi")] }], CancellationToken.None);
            await foreach (var e in _engine.Events.SubscribeAsync(LogId.Of(sessionId), sent.Value![^1].Sequence, CancellationToken.None))
            {
                if (e.Event is SessionStatusIdleEvent)
                {
                    break;
                }
            }
        }
    }

    private const int TurnsPerSession = 20;

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _engine.DisposeAsync();
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
