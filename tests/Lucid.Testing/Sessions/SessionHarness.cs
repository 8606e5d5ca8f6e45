using Lucid.Agents;
using Lucid.Environments;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Storage;
using Lucid.Testing.Models;
using Lucid.Testing.Storage;
using Lucid.Threads;

namespace Lucid.Testing.Sessions;

/// <summary>
/// One agent session on a scripted model, ready to drive: an agent with the given tools, an environment, a session
/// with its own temporary work directory, and helpers to send input and wait for the session to go idle.
/// </summary>
public sealed class SessionHarness : IAsyncDisposable
{
    /// <summary>The model string the harness's agent uses.</summary>
    public const string ModelName = "scripted/worker";

    /// <summary>A second scripted model, for graders.</summary>
    public const string GraderModelName = "scripted/grader";

    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private SessionHarness(ILucidStore store, SessionEngine engine, ScriptedModels models, ScriptedChatClient model, ScriptedChatClient grader, Session session, Agent agent, string root)
    {
        Models = models;
        Store = store;
        Engine = engine;
        Model = model;
        Grader = grader;
        Session = session;
        Agent = agent;
        Root = root;
    }

    /// <summary>The store.</summary>
    public ILucidStore Store { get; }

    /// <summary>The engine.</summary>
    public SessionEngine Engine { get; }

    /// <summary>The engine's session service.</summary>
    public SessionService Sessions => Engine.Sessions;

    /// <summary>Every scripted model the engine resolves; add more (for thread agents) before sending input.</summary>
    public ScriptedModels Models { get; }

    /// <summary>The scripted model; add steps before sending input.</summary>
    public ScriptedChatClient Model { get; }

    /// <summary>The scripted model behind <see cref="GraderModelName"/>.</summary>
    public ScriptedChatClient Grader { get; }

    /// <summary>The session as created.</summary>
    public Session Session { get; }

    /// <summary>The agent.</summary>
    public Agent Agent { get; }

    /// <summary>The session's work directory.</summary>
    public string WorkDirectory => Session.WorkDirectory;

    private string Root { get; }

    /// <summary>
    /// Creates the harness. Without tools the agent gets the built-in toolset, every tool always allowed. With
    /// <paramref name="multiagent"/>, the agent may spawn threads: the callback creates the roster agents it needs and
    /// returns the configuration. <paramref name="mcpServers"/> are declared on the agent (and the engine
    /// gets an MCP client); offer their tools through an
    /// <see cref="McpToolset"/> in <paramref name="tools"/>.
    /// </summary>
    public static async Task<SessionHarness> StartAsync(
        IReadOnlyList<AgentTool>? tools = null,
        string? system = null,
        ILucidStore? store = null,
        SessionEngineOptions? options = null,
        Func<AgentService, Task<MultiagentConfig>>? multiagent = null,
        IReadOnlyList<Memory.MemoryAttachment>? memory = null,
        TimeProvider? time = null,
        IReadOnlyList<McpServer>? mcpServers = null)
    {
        store ??= new InMemoryStore();
        var root = Directory.CreateTempSubdirectory("lucid-test-").FullName;
        var model = new ScriptedChatClient();
        var grader = new ScriptedChatClient { DefaultUsage = new() { InputTokenCount = 100, OutputTokenCount = 20 } };
        var models = new ScriptedModels().With(ModelName, model).With(GraderModelName, grader);
        var engine = new SessionEngine(
            store, models, (options ?? new SessionEngineOptions()) with { WorkDirectoriesRoot = root }, time, mcpConnector: mcpServers is null ? null : new Lucid.Mcp.Client.SdkMcpConnector(time));
        var agents = new AgentService(store, store);
        var agent = await agents.CreateAsync(
            Workspaces.Default,
            new AgentDefinition
            {
                Name = "worker",
                Model = ModelName,
                System = system,
                Tools = tools ?? [new AgentToolset()],
                Multiagent = multiagent is null ? null : await multiagent(agents),
                McpServers = mcpServers ?? [],
            },
            CancellationToken.None);
        var environment = await new EnvironmentService(store).CreateAsync(Workspaces.Default, "local", null, null, null, CancellationToken.None);
        var session = await engine.Sessions.CreateAsync(
            Workspaces.Default,
            new SessionDefinition { AgentId = Value(agent).Id, EnvironmentId = Value(environment).Id, Resources = memory ?? [] },
            CancellationToken.None);
        return new SessionHarness(store, engine, models, model, grader, Value(session), Value(agent), root);
    }

    /// <summary>Sends input events and returns them as committed; fails the test when they are refused.</summary>
    public async Task<IReadOnlyList<LoggedEvent>> SendAsync(params SessionEvent[] inputs)
    {
        var result = await Sessions.SendAsync(Workspaces.Default, Session.Id, inputs, CancellationToken.None);
        return result.IsSuccess ? result.Value : throw new InvalidOperationException($"Send was refused: {result.Error}");
    }

    /// <summary>Sends a user message.</summary>
    public Task<IReadOnlyList<LoggedEvent>> SayAsync(string text) => SendAsync(Message(text));

    /// <summary>A user message event.</summary>
    public static UserMessageEvent Message(string text) => new() { Content = [new TextBlock(text)] };

    /// <summary>Follows the log after <paramref name="afterSequence"/> until the first <c>session.status_idle</c>; returns the events up to it.</summary>
    public Task<IReadOnlyList<LoggedEvent>> WaitForIdleAsync(long afterSequence) =>
        FollowAsync(Session.Id, afterSequence, events => events[^1].Event is SessionStatusIdleEvent, "The session did not go idle");

    /// <summary>Sends a user message and waits until the session goes idle.</summary>
    public async Task<IReadOnlyList<LoggedEvent>> RunTurnAsync(string text)
    {
        var sent = await SayAsync(text);
        return await WaitForIdleAsync(sent[^1].Sequence);
    }

    /// <summary>Follows a log (the session's or a thread's) after <paramref name="afterSequence"/> until <paramref name="done"/> says the events so far are enough.</summary>
    public async Task<IReadOnlyList<LoggedEvent>> FollowAsync(
        string logKey, long afterSequence, Func<IReadOnlyList<LoggedEvent>, bool> done, string? failure = null)
    {
        using var timeout = new CancellationTokenSource(Guard);
        var events = new List<LoggedEvent>();
        try
        {
            await foreach (var e in Engine.Events.SubscribeAsync(LogId.Of(logKey), afterSequence, timeout.Token))
            {
                events.Add(e);
                if (done(events))
                {
                    return events;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
        }

        throw new TimeoutException($"{failure ?? logKey + " did not get there"} within {Guard.TotalSeconds} s; got: {string.Join(", ", events.Select(e => e.Event.Type))}");
    }

    /// <summary>Commits a lead's message to a child thread's log and hands it to the thread, as send_to_thread does.</summary>
    public Task DeliverToThreadAsync(string threadId, string text) =>
        Engine.Supervisor.DeliverAsync(threadId, new AgentThreadMessageReceivedEvent { FromSessionThreadId = SessionThread.PrimaryId(Session.Id), Content = [new TextBlock(text)] }, CancellationToken.None);

    /// <summary>The gate that serializes thread creation; a test holds it to pause a lead's start_thread.</summary>
    public SemaphoreSlim ThreadGate => Engine.Supervisor.GateOf(Session.Id);

    /// <summary>The whole log of a session or thread.</summary>
    public Task<IReadOnlyList<LoggedEvent>> LogAsync(string logKey) => Store.ReadAsync(logKey, 0, int.MaxValue, CancellationToken.None);

    /// <summary>The whole log.</summary>
    public Task<IReadOnlyList<LoggedEvent>> LogAsync() => LogAsync(Session.Id);

    /// <summary>The session as stored now.</summary>
    public async Task<Session> ReloadAsync() =>
        await Store.GetSessionAsync(Session.Id, CancellationToken.None) ?? throw new InvalidOperationException("The session is gone.");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static T Value<T>(Lucid.Results.Result<T> result) =>
        result.IsSuccess ? result.Value : throw new InvalidOperationException(result.Error.ToString());
}
