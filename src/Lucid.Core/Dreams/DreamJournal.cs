using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Agents;
using Lucid.Environments;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Secrets;
using Lucid.Sessions;
using Lucid.Storage;

namespace Lucid.Dreams;

/// <summary>
/// The session that records a dream's work: stage summaries as <c>agent.message</c>, each read and write of sessions
/// and memory as <c>agent.tool_use</c>/<c>agent.tool_result</c>, and each model call as a model-request span with its
/// usage. Every text is passed through the run's <see cref="SecretScanner.Redact"/> first. The session stays idle, so no agent
/// runs in it and server recovery never reschedules it.
/// </summary>
internal sealed class DreamJournal
{
    /// <summary>The metadata key naming the dream a session records.</summary>
    public const string DreamIdKey = "lucid.dream_id";

    private readonly EventHub _events;
    private readonly SecretScanner _secrets;

    private DreamJournal(EventHub events, SecretScanner secrets, string sessionId)
    {
        _events = events;
        _secrets = secrets;
        SessionId = sessionId;
    }

    public string SessionId { get; }

    /// <summary>Creates the dream's session, with an internal agent and environment of the workspace.</summary>
    public static async Task<DreamJournal> CreateAsync(ILucidStore store, EventHub events, Dream dream, string workRoot, SecretScanner secrets, TimeProvider time, IdGenerator ids, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var environmentId = DerivedId(IdPrefixes.Environment, dream.WorkspaceId, "environment");
        if (await store.GetEnvironmentAsync(environmentId, cancellationToken) is null)
        {
            await CreateUnlessRacedAsync(ct => store.CreateEnvironmentAsync(new AgentEnvironment
            {
                Id = environmentId,
                WorkspaceId = dream.WorkspaceId,
                Name = "dreams",
                Description = "The environment of the sessions that record dreams.",
                CreatedAt = now,
                UpdatedAt = now,
            }, ct), async ct => await store.GetEnvironmentAsync(environmentId, ct) is not null, cancellationToken);
        }

        var agentId = DerivedId(IdPrefixes.Agent, dream.WorkspaceId, "agent\n" + dream.Model);
        if (await store.GetAgentAsync(agentId, 1, cancellationToken) is null)
        {
            await CreateUnlessRacedAsync(ct => store.CreateAgentAsync(new Agent
            {
                Id = agentId,
                WorkspaceId = dream.WorkspaceId,
                Version = 1,
                Name = "dreamer",
                Description = "Stands for the dream pipeline in the sessions that record dreams.",
                Model = dream.Model,
                CreatedAt = now,
                UpdatedAt = now,
            }, ct), async ct => await store.GetAgentAsync(agentId, 1, ct) is not null, cancellationToken);
        }

        var sessionId = ids.NewId(IdPrefixes.Session);
        var workDirectory = Path.GetFullPath(Path.Combine(workRoot, sessionId));
        Directory.CreateDirectory(workDirectory);
        await store.CreateSessionAsync(new Session
        {
            Id = sessionId,
            WorkspaceId = dream.WorkspaceId,
            AgentId = agentId,
            AgentVersion = 1,
            EnvironmentId = environmentId,
            WorkDirectory = workDirectory,
            Title = $"Dream {dream.Id}",
            Metadata = new Dictionary<string, string> { [DreamIdKey] = dream.Id },
            CreatedAt = now,
            UpdatedAt = now,
        }, cancellationToken);
        return new DreamJournal(events, secrets, sessionId);
    }

    /// <summary>The journal of a dream's session that already exists (to finish its review).</summary>
    public static DreamJournal Open(EventHub events, SecretScanner secrets, string sessionId) => new(events, secrets, sessionId);

    public async Task MessageAsync(string text, CancellationToken cancellationToken) =>
        await AppendAsync([new AgentMessageEvent { Content = [new TextBlock(_secrets.Redact(text))] }], cancellationToken);

    /// <summary>Records a read or write as a tool call and its result.</summary>
    public async Task ToolAsync(string name, JsonObject input, string result, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(_secrets.Redact(input.ToJsonString()));
        var use = _events.Stamp(new AgentToolUseEvent { Name = name, Input = document.RootElement.Clone(), EvaluatedPermission = ToolPermissions.Allow });
        await AppendAsync(
            [use, new AgentToolResultEvent { ToolUseId = use.Id, Content = [new TextBlock(_secrets.Redact(result))] }],
            cancellationToken);
    }

    public async Task<string> ModelStartAsync(string model, CancellationToken cancellationToken)
    {
        var start = _events.Stamp(new SpanModelRequestStartEvent { Model = model });
        await AppendAsync([start], cancellationToken);
        return start.Id;
    }

    public Task ModelEndAsync(string startId, SessionUsage usage, bool isError, CancellationToken cancellationToken) =>
        AppendAsync([new SpanModelRequestEndEvent { ModelRequestStartId = startId, ModelUsage = usage, IsError = isError }], cancellationToken);

    // The hub stamps IDs and times, as for every log.
    private Task<IReadOnlyList<LoggedEvent>> AppendAsync(IReadOnlyList<SessionEvent> events, CancellationToken cancellationToken) =>
        _events.AppendAsync(LogId.Of(SessionId), events, cancellationToken);

    // Two dreams of a workspace starting together both find no derived row and both create it; the loser's insert fails
    // (a unique ID), and it uses the row the winner wrote.
    private static async Task CreateUnlessRacedAsync(Func<CancellationToken, Task> create, Func<CancellationToken, Task<bool>> exists, CancellationToken cancellationToken)
    {
        try
        {
            await create(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (!await exists(cancellationToken))
            {
                throw;
            }
        }
    }

    // An ID of the usual shape derived from what it stands for, so each workspace has one dreamer agent per model.
    private static string DerivedId(string prefix, string workspaceId, string key) =>
        IdGenerator.Derived(prefix, $"lucid.dream\n{prefix}\n{workspaceId}\n{key}");
}
