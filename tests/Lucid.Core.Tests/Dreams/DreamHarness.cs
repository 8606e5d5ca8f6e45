using System.Text.Json;
using Lucid.Dreams;
using Lucid.Dreams.Review;
using Lucid.Events;
using Lucid.Files;
using Lucid.Memory;
using Lucid.Outcomes;
using Lucid.Skills;
using Lucid.Storage;
using Lucid.Testing.Models;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Dreams;

/// <summary>A store with seeded sessions and a memory store, a scripted dreamer model, and the dream services over them.</summary>
internal sealed class DreamHarness : IDisposable
{
    public const string Ws = Workspaces.Default;
    public const string Model = "scripted/dreamer";

    private readonly string _root = Directory.CreateTempSubdirectory("lucid-dreams-").FullName;

    public DreamHarness(DreamOptions? options = null, IBlobStore? blobs = null)
    {
        Skills = new SkillService(Store, blobs ?? new DiskBlobStore(Path.Combine(_root, "blobs")), Store, TimeProvider.System, Lucid.Ids.IdGenerator.Random);
        Memory = new MemoryService(Store);
        Events = new EventHub(Store);
        var models = new ScriptedModels().With(Model, Dreamer);
        Dreams = new DreamService(Store, Memory, models);
        Pipeline = new DreamPipeline(Store, Memory, Events, models, options, _root);
        Reviews = new DreamReviewService(Store, Memory, Events, options, skills: Skills);
    }

    public InMemoryStore Store { get; } = new();

    /// <summary>Where the dreams' sessions get their work directories.</summary>
    public string Root => _root;

    public MemoryService Memory { get; }

    public EventHub Events { get; }

    public ScriptedChatClient Dreamer { get; } = new();

    public DreamService Dreams { get; }

    public DreamPipeline Pipeline { get; }

    public DreamReviewService Reviews { get; }

    /// <summary>The Skills API over the same store, through which an accepted <c>add_skill</c> change creates its skill.</summary>
    public SkillService Skills { get; }

    public static CancellationToken None => CancellationToken.None;

    public async Task SeedAsync(IEnumerable<SeededLog> logs)
    {
        foreach (var log in logs)
        {
            await Store.CreateSessionAsync(log.Session(), None);
            await Store.AppendAsync(log.SessionId, [.. log.Events.Select(e => e.Event)], None);
        }
    }

    public async Task<string> StoreAsync(params (string Path, string Content)[] memories)
    {
        var store = (await Memory.CreateStoreAsync(Ws, "Airline lessons", "What the booking agent learned", null, None)).Value!;
        foreach (var (path, content) in memories)
        {
            Assert.True((await Memory.CreateMemoryAsync(Ws, store.Id, path, content, MemoryActor.User("user_ana"), None)).IsSuccess);
        }

        return store.Id;
    }

    public async Task<Dream> DreamAsync(string storeId, IReadOnlyList<string> sessions, DreamOutputBehavior behavior = DreamOutputBehavior.CreateNew, bool review = false)
    {
        var created = await Dreams.CreateAsync(Ws, new DreamRequest
        {
            MemoryStoreId = storeId,
            SessionIds = sessions,
            Model = Model,
            Instructions = "Focus on booking mistakes.",
            OutputBehavior = behavior,
            UpdateStoreId = behavior == DreamOutputBehavior.UpdateExisting ? storeId : null,
            ReviewRequired = review,
        }, None);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return await Pipeline.RunAsync(created.Value!.Id, null, None);
    }

    public async Task<Dictionary<string, MemoryDocument>> MemoriesAsync(string storeId)
    {
        var page = await Memory.ListMemoriesAsync(Ws, storeId, "/", 0, true, new PageRequest(20), None);
        var all = page.Value!.Items.Select(i => i.Memory!).ToDictionary(m => m.Path);
        Assert.Null(page.Value.NextPage);
        return all;
    }

    public async Task<IReadOnlyList<MemoryVersion>> VersionsAsync(string storeId) =>
        (await Memory.ListVersionsAsync(Ws, storeId, new MemoryVersionQuery(), new PageRequest(100), None)).Value!.Items;

    public async Task<List<LoggedEvent>> SessionEventsAsync(string sessionId) => [.. await Store.ReadAsync(sessionId, 0, 10_000, None)];

    public static string Lessons(params object[] lessons) => JsonSerializer.Serialize(new { lessons });

    public static string Operations(params object[] operations) => JsonSerializer.Serialize(new { operations });

    public static object Op(string op, string path, string title = "", string when = "", string @do = "", IEnumerable<string>? evidence = null, string reason = "seen in the sessions", IEnumerable<string>? sources = null) =>
        new { op, path, sources = (sources ?? []).ToArray(), title, when, @do, evidence = (evidence ?? []).ToArray(), reason };

    /// <summary>
    /// Eight sessions repeat one mistake: booking with payments that do not add up. Five fix it by splitting the
    /// payment (~payment_methods) and pass; two change the passenger count and fail their outcome on the same rubric
    /// criterion; one never fixes it.
    /// </summary>
    public static (List<SeededLog> Logs, List<string> ErrorResults, List<string> Fixes, List<string> Evaluations) RepeatedMistake()
    {
        var logs = new List<SeededLog>();
        var errors = new List<string>();
        var fixes = new List<string>();
        var evaluations = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var log = new SeededLog($"sesn_{i}");
            log.User($"Book trip {i}.");
            log.Call("get_user", $$"""{"user":"u{{i}}"}""", "{...}");
            var use = log.ToolUse("book", $$"""{"user":"u{{i}}","passengers":1,"payment_methods":["certificate_{{i}}"]}""");
            errors.Add(log.ToolResult(use, $"Error: payment amount does not add up, total price is {300 + i}, but paid {200 + i}", isError: true));
            if (i < 5)
            {
                fixes.Add(log.Call("book", $$"""{"user":"u{{i}}","passengers":1,"payment_methods":["certificate_{{i}}","card_{{i}}"]}""", "booked"));
                evaluations.Add(log.Evaluation(0, OutcomeResult.Satisfied, "ok"));
            }
            else if (i < 7)
            {
                log.Call("book", $$"""{"user":"u{{i}}","passengers":2,"payment_methods":["certificate_{{i}}"]}""", "booked");
                evaluations.Add(log.Evaluation(0, OutcomeResult.Failed, "wrong booking", new OutcomeFinding("books what the user asked", "booked two passengers", false, "")));
            }

            logs.Add(log);
        }

        return (logs, errors, fixes, evaluations);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
