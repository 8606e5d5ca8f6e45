using Lucid.Agents;
using Lucid.Evals;
using Lucid.Memory;
using Lucid.Sessions;
using Lucid.Storage;
using Lucid.Testing.Models;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Evals;

/// <summary>An engine over an in-memory store whose one model is the <see cref="LessonChatClient"/>, with the eval services.</summary>
internal sealed class EvalHarness : IAsyncDisposable
{
    public const string Model = "scripted/lessons";

    private readonly string _root = Directory.CreateTempSubdirectory("lucid-eval-").FullName;

    public EvalHarness()
    {
        Engine = new SessionEngine(Store, new ScriptedModels().With(Model, Client), new SessionEngineOptions { WorkDirectoriesRoot = _root });
        Evals = new EvalService(Store, Engine.Memory);
        Runner = new EvalRunner(Store, Engine);
    }

    public InMemoryStore Store { get; } = new();

    public LessonChatClient Client { get; } = new();

    public SessionEngine Engine { get; }

    public EvalService Evals { get; }

    public EvalRunner Runner { get; }

    public MemoryService Memory => Engine.Memory;

    public static MemoryActor Ana { get; } = MemoryActor.User("user_ana");

    public static string Code(int task) => $"KIWI-{task:D3}";

    public static string TaskId(int task) => $"t{task:D3}";

    /// <summary>Tasks 0 … count − 1, each asking for its code word.</summary>
    public static List<EvalTask> Tasks(int count) => [.. Enumerable.Range(0, count).Select(i => new EvalTask
    {
        Id = TaskId(i),
        Prompt = LessonChatClient.Prompt(TaskId(i)),
        Rubric = LessonChatClient.Rubric(Code(i)),
    })];

    /// <summary>A store holding the lessons of <paramref name="tasks"/>.</summary>
    public async Task<string> LessonStoreAsync(IEnumerable<int> tasks)
    {
        var store = await Memory.CreateStoreAsync(Workspaces.Default, "Lessons", "What past sessions learned.", null, CancellationToken.None);
        foreach (var task in tasks)
        {
            await Memory.CreateMemoryAsync(Workspaces.Default, store.Value!.Id, $"/lessons/{TaskId(task)}.md", LessonChatClient.Lesson(TaskId(task), Code(task)), Ana, CancellationToken.None);
        }

        return store.Value!.Id;
    }

    public static EvalSuite Suite(int tasks, int trials, params EvalArm[] arms) => new()
    {
        Name = "lessons",
        Agent = new EvalAgent(null, new AgentDefinition { Name = "worker", Model = Model, Tools = [new AgentToolset()] }),
        Tasks = Tasks(tasks),
        Arms = arms,
        Trials = trials,
        Concurrency = 8,
    };

    public static EvalArm NoMemory { get; } = new() { Name = "none", Kind = EvalArmKind.None };

    public static EvalArm WithStore(string storeId, string name = "memory") => new() { Name = name, Kind = EvalArmKind.MemoryStore, MemoryStoreId = storeId };

    /// <summary>Creates the run and runs it here.</summary>
    public async Task<EvalRun> RunAsync(EvalSuite suite)
    {
        var created = await Evals.CreateAsync(Workspaces.Default, suite, Ana, CancellationToken.None);
        Assert.True(created.IsSuccess, created.Error?.Message);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await Runner.RunAsync(created.Value.Id, null, timeout.Token);
    }

    /// <summary>Every session of the workspace.</summary>
    public async Task<List<Session>> SessionsAsync()
    {
        var sessions = new List<Session>();
        string? cursor = null;
        do
        {
            var page = await Store.ListSessionsAsync(Workspaces.Default, new SessionQuery(), new PageRequest(100, cursor), CancellationToken.None);
            sessions.AddRange(page.Items);
            cursor = page.NextPage;
        }
        while (cursor is not null);
        return sessions;
    }

    public async ValueTask DisposeAsync()
    {
        await Runner.DisposeAsync();
        await Engine.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
