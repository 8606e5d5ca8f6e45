using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Agents;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Sessions;
using Lucid.Tools;

namespace Lucid.Threads;

/// <summary>
/// What the thread tools of one agent act through: the agent's roster, its place in the session's thread tree, and the
/// log it writes to. It starts child threads, sends them messages, and waits for their final answers. Limits are tool
/// errors the agent reads, never exceptions.
/// </summary>
internal sealed class ThreadControl
{
    private readonly EngineParts _parts;
    private readonly string _sessionId;
    private readonly SessionThread? _self;
    private readonly Agent _agent;
    private readonly MultiagentConfig _config;
    private readonly IReadOnlyList<Agent> _roster;
    private readonly Func<IReadOnlyList<SessionEvent>, CancellationToken, Task<IReadOnlyList<LoggedEvent>>> _append;

    private ThreadControl(
        EngineParts parts, string sessionId, SessionThread? self, Agent agent, MultiagentConfig config, IReadOnlyList<Agent> roster,
        Func<IReadOnlyList<SessionEvent>, CancellationToken, Task<IReadOnlyList<LoggedEvent>>> append)
    {
        _parts = parts;
        _sessionId = sessionId;
        _self = self;
        _agent = agent;
        _config = config;
        _roster = roster;
        _append = append;
        Tools = [new StartThreadTool(StartDescription(), StartSchema()), new SendToThreadTool(), new WaitForThreadsTool()];
    }

    /// <summary>The thread tools, described for this agent's roster.</summary>
    public IReadOnlyList<BuiltInTool> Tools { get; }

    /// <summary>The ID of the thread this agent runs in (the primary thread's for the session's agent).</summary>
    public string OwnThreadId => _self?.Id ?? SessionThread.PrimaryId(_sessionId);

    private int Depth => _self?.Depth ?? 0;

    // The primary agent is not named in thread messages, as the API does.
    private string? OwnName => _self is null ? null : _agent.Name;

    /// <summary>
    /// The thread control of an agent whose configuration allows sub-agents, or null. The roster is read once per
    /// turn; an agent archived since the lead was saved is left out.
    /// </summary>
    public static async Task<ThreadControl?> CreateAsync(
        EngineParts parts, string sessionId, SessionThread? self, Agent agent,
        Func<IReadOnlyList<SessionEvent>, CancellationToken, Task<IReadOnlyList<LoggedEvent>>> append, CancellationToken cancellationToken)
    {
        if (agent.Multiagent is not { Subagents: true } config)
        {
            return null;
        }

        var roster = (await config.LoadRosterAsync(parts.Store, agent, cancellationToken)).Where(a => a.ArchivedAt is null).ToList();
        return new ThreadControl(parts, sessionId, self, agent, config, roster, append);
    }

    /// <summary>Starts a thread with its task. The thread runs in parallel; the result says how to get its answer.</summary>
    public async Task<ToolResult> StartAsync(JsonElement input, CancellationToken cancellationToken)
    {
        if (Text(input, "task") is not { Length: > 0 } task)
        {
            return ToolResult.Fail($"{StartThreadTool.ToolName}: 'task' is required: what the thread's agent should do, with everything it needs to know.");
        }

        var (threadAgent, inline, error) = ChooseAgent(input);
        if (threadAgent is null)
        {
            return ToolResult.Fail(error ?? "No agent was chosen.");
        }

        if (Depth + 1 > _parts.Options.MaxThreadDepth)
        {
            return ToolResult.Fail(
                $"Threads may nest at most {_parts.Options.MaxThreadDepth} deep and this agent already runs at depth {Depth}, so it cannot start another thread. Do this work yourself, or return what you have to the agent that started you.");
        }

        SessionThread thread;
        var gate = _parts.Threads.GateOf(_sessionId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            // Checked under the gate that a session interrupt holds: a lead interrupted meanwhile starts nothing.
            cancellationToken.ThrowIfCancellationRequested();
            var live = (await _parts.Store.ListThreadsAsync(_sessionId, cancellationToken)).Count(t => t.IsLive);
            if (live >= _parts.Options.MaxLiveThreads)
            {
                return ToolResult.Fail(
                    $"The session already has {live} live threads, the most it may have ({_parts.Options.MaxLiveThreads}); no thread was started. Wait for the running ones and give follow-up work to an existing thread with {SendToThreadTool.ToolName}, or do the work yourself.");
            }

            var now = _parts.Time.GetUtcNow();
            thread = new SessionThread
            {
                Id = _parts.Ids.NewId(IdPrefixes.Thread),
                SessionId = _sessionId,
                ParentThreadId = OwnThreadId,
                Depth = Depth + 1,
                Agent = threadAgent,
                IsInline = inline,
                CreatedAt = now,
                UpdatedAt = now,
            };
            await _parts.Store.CreateThreadAsync(thread, cancellationToken);
        }
        finally
        {
            gate.Release();
        }

        await _append(
            [
                new SessionThreadCreatedEvent { SessionThreadId = thread.Id, AgentName = threadAgent.Name },
                new AgentThreadMessageSentEvent { ToSessionThreadId = thread.Id, ToAgentName = threadAgent.Name, Content = [new TextBlock(task)] },
            ],
            CancellationToken.None);
        if (!await DeliverIfLiveAsync(thread.Id, task, cancellationToken))
        {
            return ToolResult.Fail($"Thread {thread.Id} was terminated before it got its task.");
        }

        return ToolResult.Ok($"Started thread {thread.Id} running agent '{threadAgent.Name}'. It works in parallel with you; call {WaitForThreadsTool.ToolName} to receive its final answer.");
    }

    /// <summary>Sends a follow-up message to one of this agent's live threads.</summary>
    public async Task<ToolResult> SendAsync(JsonElement input, CancellationToken cancellationToken)
    {
        if (Text(input, "message") is not { Length: > 0 } message)
        {
            return ToolResult.Fail($"{SendToThreadTool.ToolName}: 'message' is required.");
        }

        var (thread, error) = await OwnChildAsync(Text(input, "thread_id"), cancellationToken);
        if (thread is null)
        {
            return ToolResult.Fail(error ?? "No such thread.");
        }

        if (!thread.IsLive)
        {
            return ToolResult.Fail($"Thread {thread.Id} is {(thread.ArchivedAt is not null ? "archived" : "terminated")} and takes no more messages; start a new thread instead.");
        }

        await _append([new AgentThreadMessageSentEvent { ToSessionThreadId = thread.Id, ToAgentName = thread.Agent.Name, Content = [new TextBlock(message)] }], CancellationToken.None);
        if (!await DeliverIfLiveAsync(thread.Id, message, cancellationToken))
        {
            return ToolResult.Fail($"Thread {thread.Id} was terminated before the message reached it; start a new thread instead.");
        }

        return ToolResult.Ok($"Sent to thread {thread.Id}. Call {WaitForThreadsTool.ToolName} to receive its reply.");
    }

    /// <summary>Waits until the threads have answered their latest message; returns each final answer or failure.</summary>
    public async Task<ToolResult> WaitAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var threads = new List<SessionThread>();
        if (input.TryGetProperty("thread_ids", out var ids) && ids.ValueKind == JsonValueKind.Array && ids.GetArrayLength() > 0)
        {
            foreach (var id in ids.EnumerateArray())
            {
                var (thread, error) = await OwnChildAsync(id.ValueKind == JsonValueKind.String ? id.GetString() : null, cancellationToken);
                if (thread is null)
                {
                    return ToolResult.Fail(error ?? "No such thread.");
                }

                if (threads.All(t => t.Id != thread.Id))
                {
                    threads.Add(thread);
                }
            }
        }
        else
        {
            threads.AddRange((await _parts.Store.ListThreadsAsync(_sessionId, cancellationToken)).Where(t => t.ParentThreadId == OwnThreadId && t.ArchivedAt is null));
            if (threads.Count == 0)
            {
                return ToolResult.Fail($"You have not started any thread; use {StartThreadTool.ToolName} first.");
            }
        }

        var answers = await Task.WhenAll(threads.Select(t => ThreadAnswer.WaitAsync(_parts.Events, _parts.Runners.Of(LogId.Of(t.Id)), t, cancellationToken)));
        var text = new StringBuilder();
        foreach (var answer in answers)
        {
            if (text.Length > 0)
            {
                text.Append("\n\n");
            }

            text.Append(answer.Describe());
        }

        return new ToolResult(text.ToString(), answers.All(a => a.Failed));
    }

    // The lead's turn or the thread may have been interrupted since the thread was checked: look again right before
    // delivering. A message that still slips past a concurrent interrupt runs no turn (the thread's runner drops it).
    private async Task<bool> DeliverIfLiveAsync(string threadId, string text, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested || await _parts.Store.GetThreadAsync(threadId, CancellationToken.None) is not { IsLive: true })
        {
            return false;
        }

        await _parts.Threads.DeliverAsync(threadId, new AgentThreadMessageReceivedEvent { FromSessionThreadId = OwnThreadId, FromAgentName = OwnName, Content = [new TextBlock(text)] }, CancellationToken.None);
        return true;
    }

    private async Task<(SessionThread? Thread, string? Error)> OwnChildAsync(string? id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(id))
        {
            return (null, "'thread_id' is required: the sthr_… ID that start_thread returned.");
        }

        var thread = await _parts.Store.GetThreadAsync(id, cancellationToken);
        return thread is null || thread.SessionId != _sessionId || thread.ParentThreadId != OwnThreadId
            ? (null, $"'{id}' is not a thread you started. Your threads: {await OwnThreadListAsync(cancellationToken)}.")
            : (thread, null);
    }

    private async Task<string> OwnThreadListAsync(CancellationToken cancellationToken)
    {
        var own = (await _parts.Store.ListThreadsAsync(_sessionId, cancellationToken)).Where(t => t.ParentThreadId == OwnThreadId).Select(t => $"{t.Id} ({t.Agent.Name})").ToList();
        return own.Count == 0 ? "none yet" : string.Join(", ", own);
    }

    private (Agent? Agent, bool Inline, string? Error) ChooseAgent(JsonElement input)
    {
        var name = Text(input, "agent");
        var hasInline = input.TryGetProperty("inline_agent", out var inline) && inline.ValueKind == JsonValueKind.Object;
        if (!string.IsNullOrEmpty(name))
        {
            var member = _roster.FirstOrDefault(a => a.Id == name) ?? _roster.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));
            return member is not null ? (member, false, null) : (null, false, $"'{name}' is not an agent you may start. {RosterSentence()}");
        }

        if (!hasInline)
        {
            return (null, false, $"Name a roster agent in 'agent' or define one in 'inline_agent'. {RosterSentence()}");
        }

        if (!_config.InlineAgents)
        {
            return (null, false, $"Inline agents are disabled for this agent. {RosterSentence()}");
        }

        if (Text(inline, "name") is not { Length: > 0 } inlineName)
        {
            return (null, false, "inline_agent.name is required.");
        }

        var toolNames = inline.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array
            ? tools.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString() ?? "").ToList()
            : null;
        if (toolNames?.FirstOrDefault(t => BuiltInTools.Find(t) is null) is { } unknown)
        {
            return (null, false, $"inline_agent.tools: '{unknown}' is not a built-in tool; known: {string.Join(", ", BuiltInTools.Names)}.");
        }

        // An inline agent gets at most the built-in tools its lead has, under the lead's permission policies and web_fetch
        // rules, so a thread is never a way around an always_ask policy or a blocked domain.
        var own = _agent.Tools.OfType<AgentToolset>().FirstOrDefault() ?? new AgentToolset { DefaultConfig = new ToolsetDefaultConfig { Enabled = false } };
        if (toolNames?.FirstOrDefault(t => !own.Resolve(t).Enabled) is { } notOwn)
        {
            return (null, false, $"inline_agent.tools: '{notOwn}' is not one of your tools, and an inline agent may only have tools you have: {string.Join(", ", BuiltInTools.Names.Where(n => own.Resolve(n).Enabled))}.");
        }

        var toolset = new AgentToolset
        {
            DefaultConfig = new ToolsetDefaultConfig { Enabled = false },
            Configs = [.. BuiltInTools.Names.Select(n =>
            {
                var (enabled, policy) = own.Resolve(n);
                return new ToolConfig
                {
                    Name = n, Enabled = enabled && (toolNames is null || toolNames.Contains(n)), PermissionPolicy = policy,
                    WebFetch = own.Configs.FirstOrDefault(c => c.Name == n)?.WebFetch,
                };
            })],
        };
        var now = _parts.Time.GetUtcNow();
        var defined = new Agent
        {
            Id = "",
            Version = 0,
            WorkspaceId = _agent.WorkspaceId,
            Name = inlineName,
            System = Text(inline, "system"),
            Model = Text(inline, "model") is { Length: > 0 } model ? model : _agent.Model,
            Tools = [toolset],
            CreatedAt = now,
            UpdatedAt = now,
        };
        return (defined, true, null);
    }

    private string RosterSentence()
    {
        var roster = _roster.Count == 0 ? "You have no roster agents" : $"Roster agents: {string.Join(", ", _roster.Select(a => a.Name))}";
        return $"{roster}{(_config.InlineAgents ? "; or define an inline agent with inline_agent." : ".")}";
    }

    private string StartDescription()
    {
        var text = new StringBuilder(
            "Start a thread: a specialist agent with its own context window and tools works on a task in parallel with you, and only its final answer comes back (through wait_for_threads). Give the task everything the agent needs; it does not see your conversation.");
        if (_roster.Count > 0)
        {
            text.Append("\nRoster agents (pass the name as 'agent'):");
            foreach (var member in _roster)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n- {member.Name}{(string.IsNullOrWhiteSpace(member.Description) ? "" : $": {member.Description}")}");
            }
        }

        if (_config.InlineAgents)
        {
            text.Append("\nOr define an inline agent with 'inline_agent': a name, a system prompt, and optionally a model and the built-in tools it may use.");
        }

        return text.ToString();
    }

    private JsonElement StartSchema()
    {
        var properties = new JsonObject
        {
            ["task"] = new JsonObject { ["type"] = "string", ["description"] = "What the thread's agent should do, with everything it needs to know." },
        };
        if (_roster.Count > 0)
        {
            properties["agent"] = new JsonObject
            {
                ["type"] = "string",
                ["description"] = "The roster agent to run.",
                ["enum"] = new JsonArray([.. _roster.Select(a => (JsonNode?)JsonValue.Create(a.Name))]),
            };
        }

        if (_config.InlineAgents)
        {
            properties["inline_agent"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "An agent you define for this thread (instead of 'agent').",
                ["properties"] = new JsonObject
                {
                    ["name"] = new JsonObject { ["type"] = "string" },
                    ["system"] = new JsonObject { ["type"] = "string", ["description"] = "Its instructions." },
                    ["model"] = new JsonObject { ["type"] = "string", ["description"] = "Its model; yours when omitted." },
                    ["tools"] = new JsonObject
                    {
                        ["type"] = "array",
                        ["items"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. BuiltInTools.Names.Select(n => (JsonNode?)JsonValue.Create(n))]) },
                        ["description"] = "Built-in tools it may use, among yours; all of yours when omitted.",
                    },
                },
                ["required"] = new JsonArray("name"),
            };
        }

        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties, ["required"] = new JsonArray("task") };
        return JsonSerializer.SerializeToElement(schema, Json.LucidJsonContext.Default.JsonNode);
    }

    private static string? Text(JsonElement input, string name) =>
        input.ValueKind == JsonValueKind.Object && input.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
