using System.Text.Json;
using Lucid.Agents;
using Lucid.Dreams;
using Lucid.Dreams.Review;
using Lucid.Dreams.Validation;
using Lucid.Evals;
using Lucid.Memory;
using Lucid.Sessions;
using Lucid.Testing.Models;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Learning;

/// <summary>
/// The whole learning loop over one in-memory store: an engine whose worker is the <see cref="RuleChatClient"/>, evals
/// that run it, and dreams (a scripted dreamer) that validate their lessons by replaying those evals' tasks.
/// </summary>
internal sealed class LearningLoopHarness : IAsyncDisposable
{
    public const string Worker = "scripted/rules";
    public const string Dreamer = "scripted/dreamer";
    public const string Ws = Workspaces.Default;

    private readonly string _root = Directory.CreateTempSubdirectory("lucid-loop-").FullName;

    public LearningLoopHarness()
    {
        var models = new ScriptedModels().With(Worker, new RuleChatClient()).With(Dreamer, DreamModel);
        Engine = new SessionEngine(Store, models, new SessionEngineOptions { WorkDirectoriesRoot = _root });
        Evals = new EvalService(Store, Engine.Memory);
        Runner = new EvalRunner(Store, Engine);
        Dreams = new DreamService(Store, Engine.Memory, models);
        Pipeline = new DreamPipeline(Store, Engine.Memory, Engine.Events, models, null, _root) { Replay = new LessonReplay(Store, Engine.Memory, Runner) };
        Reviews = new DreamReviewService(Store, Engine.Memory, Engine.Events);
    }

    public InMemoryStore Store { get; } = new();

    public ScriptedChatClient DreamModel { get; } = new();

    public SessionEngine Engine { get; }

    public EvalService Evals { get; }

    public EvalRunner Runner { get; }

    public DreamService Dreams { get; }

    public DreamPipeline Pipeline { get; }

    public DreamReviewService Reviews { get; }

    public MemoryService Memory => Engine.Memory;

    public static MemoryActor Ana { get; } = MemoryActor.User("user_ana");

    public static string TaskId(int task) => $"t{task:D3}";

    /// <summary>Tasks t000 … t(count − 1), each asking for its code word.</summary>
    public static EvalSuite Suite(int tasks, int trials, params EvalArm[] arms) => new()
    {
        Name = "code words",
        Agent = new EvalAgent(null, new AgentDefinition { Name = "worker", Model = Worker, Tools = [new AgentToolset()] }),
        Tasks = [.. Enumerable.Range(0, tasks).Select(i => new EvalTask { Id = TaskId(i), Prompt = LessonChatClient.Prompt(TaskId(i)), Rubric = LessonChatClient.Rubric(RuleChatClient.Code(TaskId(i))) })],
        Arms = arms,
        Trials = trials,
        Concurrency = 8,
    };

    public async Task<string> StoreAsync(params (string Path, string Content)[] memories)
    {
        var store = (await Memory.CreateStoreAsync(Ws, "Code words", "What the worker learned.", null, CancellationToken.None)).Value!;
        foreach (var (path, content) in memories)
        {
            Assert.True((await Memory.CreateMemoryAsync(Ws, store.Id, path, content, Ana, CancellationToken.None)).IsSuccess);
        }

        return store.Id;
    }

    public async Task<EvalRun> EvalAsync(EvalSuite suite)
    {
        var created = await Evals.CreateAsync(Ws, suite, Ana, CancellationToken.None);
        Assert.True(created.IsSuccess, created.Error?.Message);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var run = await Runner.RunAsync(created.Value.Id, null, timeout.Token);
        Assert.Equal(EvalRunStatus.Completed, run.Status);
        return run;
    }

    /// <summary>Creates a dream with review required and the validation asked for, runs it here and returns it with the progress it showed.</summary>
    public async Task<(Dream Dream, List<DreamProgress> Progress)> DreamAsync(string storeId, IEnumerable<string> sessions, DreamValidation validation)
    {
        var created = await Dreams.CreateAsync(Ws, new DreamRequest { MemoryStoreId = storeId, SessionIds = [.. sessions], Model = Dreamer, ReviewRequired = true, Validation = validation }, CancellationToken.None);
        Assert.True(created.IsSuccess, created.Error?.Message);
        var progress = new List<DreamProgress>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var dream = await Pipeline.RunAsync(created.Value.Id, new Collect(progress), timeout.Token);
        return (dream, progress);
    }

    /// <summary>The ID of the first event of each session: what a lesson cites as its evidence.</summary>
    public async Task<List<string>> FirstEventsAsync(IEnumerable<string?> sessions)
    {
        var ids = new List<string>();
        foreach (var session in sessions)
        {
            ids.Add((await Store.ReadAsync(session!, 0, 1, CancellationToken.None))[0].Event.Id);
        }

        return ids;
    }

    /// <summary>The dreamer's replies: the candidate lessons, then one <c>add</c> per lesson.</summary>
    public void Script(params (string Path, string Title, string When, string Do, List<string> Evidence)[] lessons)
    {
        DreamModel.Reply(JsonSerializer.Serialize(new { lessons = lessons.Select(l => new { title = l.Title, when = l.When, @do = l.Do, evidence = l.Evidence }) }));
        DreamModel.Reply(JsonSerializer.Serialize(new
        {
            operations = lessons.Select(l => new { op = "add", path = l.Path, sources = Array.Empty<string>(), title = l.Title, when = l.When, @do = l.Do, evidence = l.Evidence, reason = "seen in the sessions" }),
        }));
    }

    public async ValueTask DisposeAsync()
    {
        await Runner.DisposeAsync();
        await Engine.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private sealed class Collect(List<DreamProgress> into) : IProgress<DreamProgress>
    {
        public void Report(DreamProgress value)
        {
            lock (into)
            {
                into.Add(value);
            }
        }
    }
}
