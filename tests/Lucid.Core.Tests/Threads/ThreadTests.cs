using Lucid.Agents;
using Lucid.Events;
using Lucid.Results;
using Lucid.Sessions;
using Lucid.Storage;
using Lucid.Testing.Models;
using Lucid.Testing.Sessions;
using Lucid.Threads;
using Microsoft.Extensions.AI;

namespace Lucid.Core.Tests.Threads;

public sealed class ThreadTests
{
    private static string Text(IReadOnlyList<ContentBlock> content) => string.Concat(content.OfType<TextBlock>().Select(b => b.Text));

    private static async Task<Agent> CreateAgentAsync(AgentService agents, string name, string model, string? system = null, MultiagentConfig? multiagent = null)
    {
        var created = await agents.CreateAsync(
            Workspaces.Default,
            new AgentDefinition { Name = name, Model = model, System = system, Tools = [new AgentToolset()], Multiagent = multiagent },
            CancellationToken.None);
        return created.IsSuccess ? created.Value : throw new InvalidOperationException(created.Error.ToString());
    }

    private static List<FunctionResultContent> ToolResults(ScriptedRequest request) =>
        [.. request.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>()];

    // A model step that joins a barrier: it answers only once every party's model call is in flight at the same time.
    private static Func<ScriptedRequest, CancellationToken, Task<ChatResponse>> InFlight(ScriptedChatClient client, InFlightBarrier barrier, string answer) =>
        async (_, cancellationToken) =>
        {
            await barrier.ArriveAsync(cancellationToken);
            return client.Response(new ChatMessage(ChatRole.Assistant, answer));
        };

    [Fact]
    public async Task Lead_runs_three_threads_concurrently_and_receives_exactly_their_final_answers()
    {
        var researcherModel = new ScriptedChatClient();
        var writerModel = new ScriptedChatClient();
        var checkerModel = new ScriptedChatClient();
        await using var h = await SessionHarness.StartAsync(
            system: "You lead.",
            multiagent: async agents => new MultiagentConfig
            {
                PredefinedAgents =
                [
                    new RosterEntry((await CreateAgentAsync(agents, "researcher", "scripted/researcher", "You research.")).Id),
                    new RosterEntry((await CreateAgentAsync(agents, "writer", "scripted/writer", "You write.")).Id),
                ],
            });
        h.Models.With("scripted/researcher", researcherModel).With("scripted/writer", writerModel).With("scripted/checker", checkerModel);
        var barrier = new InFlightBarrier(3);
        researcherModel
            .CallTools("Let me look around first.", ("bash", new { command = "echo intermediate-research-step" }))
            .Then(InFlight(researcherModel, barrier, "Answer A: the facts."));
        writerModel.Then(InFlight(writerModel, barrier, "Answer B: the draft."));
        checkerModel.Then(InFlight(checkerModel, barrier, "Answer C: all checked."));
        ScriptedRequest? final = null;
        h.Model
            .CallTools(
                "Splitting the work.",
                ("start_thread", new { agent = "researcher", task = "Research the topic." }),
                ("start_thread", new { agent = "writer", task = "Draft the text." }),
                ("start_thread", new { inline_agent = new { name = "checker", system = "You check.", model = "scripted/checker" }, task = "Check the claims." }))
            .CallTool("wait_for_threads", new { })
            .Then((request, _) =>
            {
                final = request;
                return Task.FromResult(h.Model.Response(new ChatMessage(ChatRole.Assistant, "All three are done.")));
            });

        var events = await h.RunTurnAsync("Split this big job across specialists.");

        Assert.Equal(StopReason.EndTurn, ((SessionStatusIdleEvent)events[^1].Event).StopReason);
        Assert.NotNull(final);
        var results = ToolResults(final);
        Assert.Equal(4, results.Count);
        Assert.All(results.Take(3), r => Assert.StartsWith("Started thread sthr_", r.Result?.ToString(), StringComparison.Ordinal));
        var answers = results[3].Result?.ToString() ?? "";
        Assert.Contains("Answer A: the facts.", answers, StringComparison.Ordinal);
        Assert.Contains("Answer B: the draft.", answers, StringComparison.Ordinal);
        Assert.Contains("Answer C: all checked.", answers, StringComparison.Ordinal);
        Assert.DoesNotContain("intermediate-research-step", final.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("Let me look around first.", final.AllText, StringComparison.Ordinal);

        // Each thread saw its own instructions and task, never the lead's conversation or a sibling's task.
        var tasks = new Dictionary<ScriptedChatClient, (string System, string Task)>
        {
            [researcherModel] = ("You research.", "Research the topic."),
            [writerModel] = ("You write.", "Draft the text."),
            [checkerModel] = ("You check.", "Check the claims."),
        };
        foreach (var (model, (system, task)) in tasks)
        {
            Assert.NotEmpty(model.Requests);
            foreach (var request in model.Requests)
            {
                Assert.Equal(ChatRole.System, request.Messages[0].Role);
                Assert.Equal(system, request.Messages[0].Text);
                Assert.Equal(task, request.Messages[1].Text);
                var others = tasks.Values.Select(t => t.Task).Where(t => t != task).Append("Split this big job across specialists.").Append("You lead.").Append("Splitting the work.");
                Assert.All(others, other => Assert.DoesNotContain(other, request.AllText, StringComparison.Ordinal));
            }
        }

        var threads = await h.Store.ListThreadsAsync(h.Session.Id, CancellationToken.None);
        Assert.Equal(["researcher", "writer", "checker"], threads.Select(t => t.Agent.Name));
        Assert.All(threads, t => Assert.Equal(SessionThread.PrimaryId(h.Session.Id), t.ParentThreadId));
        Assert.All(threads, t => Assert.Equal(SessionStatus.Idle, t.Status));
        Assert.Equal([false, false, true], threads.Select(t => t.IsInline));

        // The primary stream shows each thread's creation, the task sent, and its cross-posted statuses.
        var log = await h.LogAsync();
        Assert.Equal(threads.Select(t => t.Id), log.Select(e => e.Event).OfType<SessionThreadCreatedEvent>().Select(e => e.SessionThreadId));
        Assert.Equal(3, log.Select(e => e.Event).OfType<AgentThreadMessageSentEvent>().Count());
        foreach (var thread in threads)
        {
            Assert.Contains(log, e => e.Event is SessionThreadStatusRunningEvent r && r.SessionThreadId == thread.Id);
            Assert.Contains(log, e => e.Event is SessionThreadStatusIdleEvent i && i.SessionThreadId == thread.Id);
            var own = await h.LogAsync(thread.Id);
            Assert.IsType<AgentThreadMessageReceivedEvent>(own[0].Event);
            Assert.IsType<SessionThreadStatusRunningEvent>(own[1].Event);
            Assert.IsType<SessionThreadStatusIdleEvent>(own[^1].Event);
            Assert.DoesNotContain(own, e => e.Event is SessionStatusRunningEvent or SessionStatusIdleEvent);
        }

        // Usage is per thread, and the session's counts the lead's requests and every thread's.
        Assert.Equal([20L, 10L, 10L], threads.Select(t => t.Usage.InputTokens));
        Assert.Equal(30 + 40, (await h.ReloadAsync()).Usage.InputTokens);
    }

    [Fact]
    public async Task Starting_more_live_threads_than_the_limit_is_a_tool_error_the_lead_reads()
    {
        var helper = new ScriptedChatClient();
        await using var h = await SessionHarness.StartAsync(
            options: new SessionEngineOptions { MaxLiveThreads = 2 },
            multiagent: _ => Task.FromResult(new MultiagentConfig()));
        h.Models.With("scripted/helper", helper);
        helper.Reply("done one").Reply("done two");
        object Inline(string name) => new { inline_agent = new { name, model = "scripted/helper" }, task = $"Task of {name}." };
        ScriptedRequest? afterStarts = null;
        h.Model
            .CallTools(null, ("start_thread", Inline("one")), ("start_thread", Inline("two")), ("start_thread", Inline("three")))
            .Then((request, _) =>
            {
                afterStarts = request;
                return Task.FromResult(h.Model.Response(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_wait", "wait_for_threads", new Dictionary<string, object?>())])));
            })
            .Reply("Two threads were enough.");

        var events = await h.RunTurnAsync("Fan out.");

        Assert.Equal(StopReason.EndTurn, ((SessionStatusIdleEvent)events[^1].Event).StopReason);
        var results = events.Select(e => e.Event).OfType<AgentToolResultEvent>().ToList();
        Assert.False(results[0].IsError);
        Assert.False(results[1].IsError);
        Assert.True(results[2].IsError);
        Assert.Contains("already has 2 live threads, the most it may have (2)", Text(results[2].Content), StringComparison.Ordinal);
        Assert.NotNull(afterStarts);
        Assert.Contains("the most it may have (2)", afterStarts.AllText, StringComparison.Ordinal);
        Assert.Equal(2, (await h.Store.ListThreadsAsync(h.Session.Id, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_thread_nested_deeper_than_the_limit_is_refused_with_a_tool_error()
    {
        await using var h = await SessionHarness.StartAsync(
            options: new SessionEngineOptions { MaxThreadDepth = 1 },
            multiagent: _ => Task.FromResult(new MultiagentConfig { InlineAgents = false, PredefinedAgents = [RosterEntry.Self] }));

        // The lead and its child run the same agent on the same model, so each step answers by whose request it is.
        string? childSaw = null;
        Task<ChatResponse> Route(ScriptedRequest request, CancellationToken cancellationToken)
        {
            var isChild = request.Messages.Any(m => m.Role == ChatRole.User && m.Text == "Nested task.");
            var results = ToolResults(request);
            ChatMessage Call(string name, object arguments) => new(ChatRole.Assistant, [new FunctionCallContent($"call_{Guid.NewGuid():N}", name, System.Text.Json.JsonSerializer.SerializeToElement(arguments).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone()))]);
            var reply = (isChild, results.Count) switch
            {
                (true, 0) => Call("start_thread", new { agent = "worker", task = "Even deeper." }),
                (true, _) => new ChatMessage(ChatRole.Assistant, $"Child finished; it saw: {childSaw = results[^1].Result?.ToString()}"),
                (false, 0) => Call("start_thread", new { agent = "worker", task = "Nested task." }),
                (false, 1) => Call("wait_for_threads", new { }),
                _ => new ChatMessage(ChatRole.Assistant, "Lead finished."),
            };
            return Task.FromResult(h.Model.Response(reply));
        }

        for (var i = 0; i < 5; i++)
        {
            h.Model.Then(Route);
        }

        var events = await h.RunTurnAsync("Go.");

        Assert.Equal(StopReason.EndTurn, ((SessionStatusIdleEvent)events[^1].Event).StopReason);
        Assert.NotNull(childSaw);
        Assert.True(childSaw.Contains("Threads may nest at most 1 deep", StringComparison.Ordinal), childSaw);
        var threads = await h.Store.ListThreadsAsync(h.Session.Id, CancellationToken.None);
        var only = Assert.Single(threads);
        Assert.Equal(1, only.Depth);
        var answer = events.Select(e => e.Event).OfType<AgentToolResultEvent>().Last();
        Assert.Contains("Child finished; it saw: Error: Threads may nest at most 1 deep", Text(answer.Content), StringComparison.Ordinal);
    }

    // A lead that started two inline threads whose model never answers, and now waits for them.
    private static async Task<SessionHarness> LeadWaitingOnTwoHangingThreadsAsync()
    {
        var slow = new ScriptedChatClient();
        var h = await SessionHarness.StartAsync(multiagent: _ => Task.FromResult(new MultiagentConfig()));
        h.Models.With("scripted/slow", slow);
        for (var i = 0; i < 2; i++)
        {
            slow.Then(async (_, cancellationToken) =>
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                throw new InvalidOperationException("unreachable");
            });
        }

        object Inline(string name) => new { inline_agent = new { name, model = "scripted/slow" }, task = $"Take forever, {name}." };
        h.Model.CallTools(null, ("start_thread", Inline("one")), ("start_thread", Inline("two"))).CallTool("wait_for_threads", new { });
        var sent = await h.SayAsync("Start and wait.");
        await h.FollowAsync(h.Session.Id, sent[^1].Sequence, e => e.Count(x => x.Event is SessionThreadStatusRunningEvent) == 2 && e.Any(x => x.Event is AgentToolUseEvent { Name: "wait_for_threads" }));
        return h;
    }

    [Fact]
    public async Task Interrupting_the_session_terminates_every_thread()
    {
        await using var h = await LeadWaitingOnTwoHangingThreadsAsync();
        var interrupt = await h.SendAsync(new UserInterruptEvent());
        var after = await h.FollowAsync(h.Session.Id, interrupt[^1].Sequence, e => e.Any(x => x.Event is SessionStatusIdleEvent) && e.Count(x => x.Event is SessionThreadStatusTerminatedEvent) == 2);

        Assert.Contains(after, e => e.Event is AgentToolResultEvent { IsError: true });
        var threads = await h.Store.ListThreadsAsync(h.Session.Id, CancellationToken.None);
        Assert.Equal(2, threads.Count);
        Assert.All(threads, t => Assert.Equal(SessionStatus.Terminated, t.Status));
        foreach (var thread in threads)
        {
            var own = await h.LogAsync(thread.Id);
            Assert.IsType<SessionThreadStatusTerminatedEvent>(own[^1].Event);
            Assert.Contains(own, e => e.Event is SpanModelRequestEndEvent { IsError: true });
        }

        Assert.Equal(SessionStatus.Idle, (await h.ReloadAsync()).Status);
    }

    [Fact]
    public async Task A_thread_whose_model_fails_surfaces_the_failure_to_the_lead_which_decides_what_to_do()
    {
        var broken = new ScriptedChatClient();
        broken.Throw(new Lucid.Models.ModelRequestException(Lucid.Models.ModelErrorKind.Overloaded, "The provider is overloaded (529)."));
        await using var h = await SessionHarness.StartAsync(multiagent: _ => Task.FromResult(new MultiagentConfig()));
        h.Models.With("scripted/broken", broken);
        ScriptedRequest? decision = null;
        h.Model
            .CallTool("start_thread", new { inline_agent = new { name = "fragile", model = "scripted/broken" }, task = "Try it." })
            .CallTool("wait_for_threads", new { })
            .Then((request, _) =>
            {
                decision = request;
                return Task.FromResult(h.Model.Response(new ChatMessage(ChatRole.Assistant, "The helper failed, so I did it myself.")));
            });

        var events = await h.RunTurnAsync("Delegate this.");

        Assert.Equal(StopReason.EndTurn, ((SessionStatusIdleEvent)events[^1].Event).StopReason);
        var waited = events.Select(e => e.Event).OfType<AgentToolResultEvent>().Last();
        Assert.True(waited.IsError);
        Assert.Contains("status=\"failed\"", Text(waited.Content), StringComparison.Ordinal);
        Assert.Contains("The provider is overloaded (529).", Text(waited.Content), StringComparison.Ordinal);
        Assert.NotNull(decision);
        Assert.Contains("The provider is overloaded (529).", decision.AllText, StringComparison.Ordinal);
        var thread = Assert.Single(await h.Store.ListThreadsAsync(h.Session.Id, CancellationToken.None));
        Assert.Equal(SessionStatus.Idle, thread.Status);
        Assert.Contains(await h.LogAsync(thread.Id), e => e.Event is SessionErrorEvent);
    }

    [Fact]
    public async Task After_a_restart_a_thread_that_was_running_redoes_its_turn_and_the_lead_can_wait_for_it_again()
    {
        await using var crashed = await SessionHarness.StartAsync(multiagent: _ => Task.FromResult(new MultiagentConfig()));
        var ids = 0;
        T Stamp<T>(T e)
            where T : SessionEvent => e with { Id = $"sevt_crash{++ids:D4}", ProcessedAt = DateTimeOffset.UnixEpoch };

        // The log a process leaves when it dies while the lead waits and its thread's model request is in flight.
        var primary = SessionThread.PrimaryId(crashed.Session.Id);
        var agent = crashed.Agent with { Id = "", Version = 0, Name = "helper", Model = "scripted/helper", Multiagent = null };
        var thread = new SessionThread { Id = "sthr_crashed", SessionId = crashed.Session.Id, ParentThreadId = primary, Depth = 1, Agent = agent, IsInline = true, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch };
        await crashed.Store.CreateThreadAsync(thread, CancellationToken.None);
        var wait = Stamp(new AgentToolUseEvent { Name = "wait_for_threads", Input = System.Text.Json.JsonSerializer.SerializeToElement(new { }), EvaluatedPermission = ToolPermissions.Allow });
        await crashed.Store.AppendAsync(crashed.Session.Id,
        [
            Stamp(new UserMessageEvent { Content = [new TextBlock("Delegate.")] }),
            Stamp(new SessionStatusRunningEvent()),
            Stamp(new SessionThreadCreatedEvent { SessionThreadId = thread.Id, AgentName = "helper" }),
            Stamp(new SessionThreadStatusRunningEvent { SessionThreadId = thread.Id, AgentName = "helper" }),
            wait,
        ], CancellationToken.None);
        var start = Stamp(new SpanModelRequestStartEvent { Model = "scripted/helper" });
        await crashed.Store.AppendAsync(thread.Id,
        [
            Stamp(new AgentThreadMessageReceivedEvent { FromSessionThreadId = primary, Content = [new TextBlock("Do the part.")] }),
            Stamp(new SessionThreadStatusRunningEvent { SessionThreadId = thread.Id, AgentName = "helper" }),
            start,
        ], CancellationToken.None);

        var lead = new ScriptedChatClient().CallTool("wait_for_threads", new { }).Reply("Recovered and done.");
        var helper = new ScriptedChatClient().Reply("The part is done.");
        await using var restarted = new SessionEngine(
            crashed.Store,
            new ScriptedModels().With(SessionHarness.ModelName, lead).With("scripted/helper", helper),
            new SessionEngineOptions { WorkDirectoriesRoot = Path.GetTempPath() });
        var before = (await crashed.LogAsync()).Count;

        Assert.Equal(1, await restarted.RecoverAsync(CancellationToken.None));
        var events = new List<LoggedEvent>();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await foreach (var e in restarted.Events.SubscribeAsync(LogId.Of(crashed.Session.Id), before, timeout.Token))
            {
                events.Add(e);
                if (e.Event is SessionStatusIdleEvent)
                {
                    break;
                }
            }
        }

        var results = events.Select(e => e.Event).OfType<AgentToolResultEvent>().ToList();
        Assert.Equal(wait.Id, results[0].ToolUseId);
        Assert.Contains("outcome is unknown", Text(results[0].Content), StringComparison.Ordinal);
        Assert.Contains("The part is done.", Text(results[1].Content), StringComparison.Ordinal);
        Assert.Contains(events, e => e.Event is SessionThreadStatusRescheduledEvent r && r.SessionThreadId == thread.Id);
        var own = await crashed.LogAsync(thread.Id);
        Assert.Equal(
            ["agent.thread_message_received", "session.thread_status_running", "span.model_request_start", "session.thread_status_rescheduled", "session.thread_status_running",
             "span.model_request_end", "span.model_request_start", "span.model_request_end", "agent.message", "session.usage", "session.thread_status_idle"],
            own.Select(e => e.Event.Type));
        Assert.Equal("Do the part.", Assert.Single(helper.Requests).Messages[0].Text);
    }

    [Fact]
    public async Task An_inline_agent_gets_at_most_the_leads_built_in_tools_under_the_leads_policies_and_web_fetch_rules()
    {
        var helper = new ScriptedChatClient().Reply("ok");
        await using var h = await SessionHarness.StartAsync(
            tools:
            [
                new AgentToolset
                {
                    Configs =
                    [
                        new ToolConfig { Name = "bash", PermissionPolicy = PermissionPolicy.AlwaysAsk }, new ToolConfig { Name = "read", Enabled = false },
                        new ToolConfig { Name = "web_fetch", WebFetch = new WebFetchConfig { BlockedDomains = ["ads.example"] } },
                    ],
                },
            ],
            multiagent: _ => Task.FromResult(new MultiagentConfig()));
        h.Models.With("scripted/helper", helper);
        h.Model
            .CallTools(
                null,
                ("start_thread", new { inline_agent = new { name = "reader", model = "scripted/helper", tools = new[] { "read" } }, task = "Read." }),
                ("start_thread", new { inline_agent = new { name = "shell", model = "scripted/helper", tools = new[] { "bash", "grep" } }, task = "Run." }))
            .CallTool("wait_for_threads", new { })
            .Reply("done");

        var events = await h.RunTurnAsync("Go.");

        var results = events.Select(e => e.Event).OfType<AgentToolResultEvent>().ToList();
        Assert.True(results[0].IsError);
        Assert.Contains("'read' is not one of your tools", Text(results[0].Content), StringComparison.Ordinal);
        var thread = Assert.Single(await h.Store.ListThreadsAsync(h.Session.Id, CancellationToken.None));
        var toolset = Assert.IsType<AgentToolset>(Assert.Single(thread.Agent.Tools));
        Assert.Equal((true, PermissionPolicy.AlwaysAsk), toolset.Resolve("bash"));
        Assert.Equal((true, PermissionPolicy.AlwaysAllow), toolset.Resolve("grep"));
        Assert.All(["read", "write", "edit", "glob"], name => Assert.False(toolset.Resolve(name).Enabled));
        Assert.Equal(["ads.example"], toolset.Configs.Single(c => c.Name == "web_fetch").WebFetch?.BlockedDomains);
        Assert.Equal(["bash", "grep"], Assert.Single(helper.Requests).Options?.Tools?.Select(t => t.Name));
    }

    [Fact]
    public async Task After_a_restart_a_thread_still_running_under_an_idle_lead_resumes_too()
    {
        await using var crashed = await SessionHarness.StartAsync(multiagent: _ => Task.FromResult(new MultiagentConfig()));
        var agent = crashed.Agent with { Id = "", Version = 0, Name = "helper", Model = "scripted/helper", Multiagent = null };
        var thread = new SessionThread { Id = "sthr_orphan", SessionId = crashed.Session.Id, ParentThreadId = SessionThread.PrimaryId(crashed.Session.Id), Depth = 1, Agent = agent, IsInline = true, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch };
        await crashed.Store.CreateThreadAsync(thread, CancellationToken.None);
        await crashed.Store.AppendAsync(thread.Id,
        [
            new AgentThreadMessageReceivedEvent { Id = "sevt_o1", ProcessedAt = DateTimeOffset.UnixEpoch, FromSessionThreadId = thread.ParentThreadId, Content = [new TextBlock("Keep going.")] },
            new SessionThreadStatusRunningEvent { Id = "sevt_o2", ProcessedAt = DateTimeOffset.UnixEpoch, SessionThreadId = thread.Id, AgentName = "helper" },
        ], CancellationToken.None);
        var helper = new ScriptedChatClient().Reply("Still done.");
        await using var restarted = new SessionEngine(crashed.Store, new ScriptedModels().With("scripted/helper", helper), new SessionEngineOptions { WorkDirectoriesRoot = Path.GetTempPath() });

        Assert.Equal(0, await restarted.RecoverAsync(CancellationToken.None));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var e in restarted.Events.SubscribeAsync(LogId.Of(thread.Id), 2, timeout.Token))
        {
            if (e.Event is SessionThreadStatusIdleEvent)
            {
                break;
            }
        }

        Assert.Equal(SessionStatus.Idle, (await crashed.Store.GetThreadAsync(thread.Id, CancellationToken.None))?.Status);
        Assert.Equal(["session.thread_status_rescheduled", "session.thread_status_running", "session.thread_status_idle"], (await crashed.LogAsync()).Select(e => e.Event.Type).Where(t => t.StartsWith("session.thread", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_message_that_reaches_a_terminated_thread_runs_no_turn()
    {
        await using var h = await SessionHarness.StartAsync(multiagent: _ => Task.FromResult(new MultiagentConfig()));
        var helper = new ScriptedChatClient().Reply("I should not have run.");
        h.Models.With("scripted/helper", helper);
        var agent = h.Agent with { Id = "", Version = 0, Name = "helper", Model = "scripted/helper", Multiagent = null };
        var thread = new SessionThread { Id = "sthr_ended", SessionId = h.Session.Id, ParentThreadId = SessionThread.PrimaryId(h.Session.Id), Depth = 1, Agent = agent, IsInline = true, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch };
        await h.Store.CreateThreadAsync(thread, CancellationToken.None);
        var ids = 0;
        T Stamp<T>(T e)
            where T : SessionEvent => e with { Id = $"sevt_ended{++ids:D4}", ProcessedAt = DateTimeOffset.UnixEpoch };
        await h.Store.AppendAsync(thread.Id,
        [
            Stamp(new AgentThreadMessageReceivedEvent { FromSessionThreadId = thread.ParentThreadId, Content = [new TextBlock("Work.")] }),
            Stamp(new SessionThreadStatusRunningEvent { SessionThreadId = thread.Id, AgentName = "helper" }),
            Stamp(new SessionThreadStatusIdleEvent { SessionThreadId = thread.Id, AgentName = "helper", StopReason = StopReason.EndTurn }),
            Stamp(new UserInterruptEvent()),
            Stamp(new SessionThreadStatusTerminatedEvent { SessionThreadId = thread.Id, AgentName = "helper" }),
        ], CancellationToken.None);
        var before = (await h.LogAsync(thread.Id)).Count;

        // A lead's message that passed its liveness check just before the interrupt lands after the termination: the
        // thread answers it with its terminated status instead of running a turn.
        await h.DeliverToThreadAsync(thread.Id, "One more thing.");
        var after = await h.FollowAsync(thread.Id, before, e => e.Any(x => x.Event is SessionThreadStatusTerminatedEvent));

        Assert.DoesNotContain(after, e => e.Event is SessionThreadStatusRunningEvent);
        Assert.Empty(helper.Requests);
        Assert.Equal(SessionStatus.Terminated, (await h.Store.GetThreadAsync(thread.Id, CancellationToken.None))?.Status);
    }

    [Fact]
    public async Task A_thread_a_nested_lead_starts_while_the_session_is_interrupted_is_terminated_too()
    {
        await using var h = await SessionHarness.StartAsync(
            multiagent: _ => Task.FromResult(new MultiagentConfig { InlineAgents = false, PredefinedAgents = [RosterEntry.Self] }));
        var childAsking = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gateHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ChatMessage Call(string name, object arguments) => new(ChatRole.Assistant, [new FunctionCallContent($"call_{Guid.NewGuid():N}", name, System.Text.Json.JsonSerializer.SerializeToElement(arguments).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone()))]);

        // The lead, its child and its grandchild run the same agent, so each step answers by whose request it is.
        async Task<ChatResponse> Route(ScriptedRequest request, CancellationToken cancellationToken)
        {
            bool Got(string task) => request.Messages.Any(m => m.Role == ChatRole.User && m.Text == task);
            var level = Got("Level two.") ? 2 : Got("Level one.") ? 1 : 0;
            var results = ToolResults(request).Count;
            switch (level, results)
            {
                case (0, 0):
                    return h.Model.Response(Call("start_thread", new { agent = "worker", task = "Level one." }));
                case (0, _):
                    return h.Model.Response(Call("wait_for_threads", new { }));
                case (1, 0):
                    childAsking.TrySetResult();
                    await gateHeld.Task.WaitAsync(cancellationToken);
                    return h.Model.Response(Call("start_thread", new { agent = "worker", task = "Level two." }));
                case (1, _):
                    return h.Model.Response(new ChatMessage(ChatRole.Assistant, "Level one done."));
                default:
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    throw new InvalidOperationException("unreachable");
            }
        }

        for (var i = 0; i < 8; i++)
        {
            h.Model.Then(Route);
        }

        var sent = await h.SayAsync("Go.");
        await childAsking.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var child = Assert.Single(await h.Store.ListThreadsAsync(h.Session.Id, CancellationToken.None));

        // The child's start_thread waits for the gate while the session is interrupted.
        await h.ThreadGate.WaitAsync();
        gateHeld.SetResult();
        await h.FollowAsync(child.Id, 0, e => e.Any(x => x.Event is AgentToolUseEvent { Name: "start_thread" }));
        var interrupt = h.SendAsync(new UserInterruptEvent());
        var leadStopped = h.FollowAsync(h.Session.Id, sent[^1].Sequence, e => e.Any(x => x.Event is UserInterruptEvent) && e.SkipWhile(x => x.Event is not UserInterruptEvent).Any(x => x.Event is SessionStatusIdleEvent));
        await Task.WhenAny(interrupt, leadStopped);
        h.ThreadGate.Release();
        await interrupt;
        await h.FollowAsync(h.Session.Id, sent[^1].Sequence, e => e.Any(x => x.Event is SessionThreadStatusTerminatedEvent t && t.SessionThreadId == child.Id));

        var threads = await h.Store.ListThreadsAsync(h.Session.Id, CancellationToken.None);
        foreach (var thread in threads)
        {
            await h.FollowAsync(thread.Id, 0, e => e.Any(x => x.Event is SessionThreadStatusTerminatedEvent));
        }

        Assert.All(await h.Store.ListThreadsAsync(h.Session.Id, CancellationToken.None), t => Assert.Equal(SessionStatus.Terminated, t.Status));
    }

    // A thread the store records as running (its turn in flight, or cut off by a stop of the process).
    private static async Task<SessionThread> RunningThreadAsync(SessionHarness h, string id)
    {
        var agent = h.Agent with { Id = "", Version = 0, Name = "helper", Model = "scripted/helper", Multiagent = null };
        var thread = new SessionThread { Id = id, SessionId = h.Session.Id, ParentThreadId = SessionThread.PrimaryId(h.Session.Id), Depth = 1, Agent = agent, IsInline = true, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch };
        await h.Store.CreateThreadAsync(thread, CancellationToken.None);
        await h.Store.AppendAsync(thread.Id,
        [
            new AgentThreadMessageReceivedEvent { Id = $"sevt_{id}1", ProcessedAt = DateTimeOffset.UnixEpoch, FromSessionThreadId = thread.ParentThreadId, Content = [new TextBlock("Keep going.")] },
            new SessionThreadStatusRunningEvent { Id = $"sevt_{id}2", ProcessedAt = DateTimeOffset.UnixEpoch, SessionThreadId = thread.Id, AgentName = "helper" },
        ], CancellationToken.None);
        return thread;
    }

    [Fact]
    public async Task Archiving_or_deleting_a_session_while_a_thread_runs_is_a_conflict()
    {
        await using var h = await SessionHarness.StartAsync(multiagent: _ => Task.FromResult(new MultiagentConfig()));
        var thread = await RunningThreadAsync(h, "sthr_busy");

        var archive = await h.Sessions.ArchiveAsync(Workspaces.Default, h.Session.Id, CancellationToken.None);
        var delete = await h.Sessions.DeleteAsync(Workspaces.Default, h.Session.Id, CancellationToken.None);

        Assert.Equal(ErrorKind.Conflict, archive.Error?.Kind);
        Assert.Contains("sthr_busy", archive.Error?.Message, StringComparison.Ordinal);
        Assert.Contains("user.interrupt", archive.Error?.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.Conflict, delete.Error?.Kind);
        Assert.Null((await h.ReloadAsync()).ArchivedAt);
        Assert.NotNull(await h.Store.GetThreadAsync(thread.Id, CancellationToken.None));
    }

    [Fact]
    public async Task After_a_restart_a_running_thread_of_an_archived_session_is_not_resumed()
    {
        await using var crashed = await SessionHarness.StartAsync(multiagent: _ => Task.FromResult(new MultiagentConfig()));
        var thread = await RunningThreadAsync(crashed, "sthr_archived");
        await crashed.Store.UpdateSessionAsync(crashed.Session with { ArchivedAt = DateTimeOffset.UnixEpoch }, CancellationToken.None);
        var helper = new ScriptedChatClient().Reply("Should not run.");
        await using var restarted = new SessionEngine(crashed.Store, new ScriptedModels().With("scripted/helper", helper), new SessionEngineOptions { WorkDirectoriesRoot = Path.GetTempPath() });

        await restarted.RecoverAsync(CancellationToken.None);

        Assert.DoesNotContain(await crashed.LogAsync(thread.Id), e => e.Event is SessionThreadStatusRescheduledEvent);
        Assert.DoesNotContain(await crashed.LogAsync(), e => e.Event is SessionThreadStatusRescheduledEvent);
    }

    [Fact]
    public async Task An_interrupt_naming_a_thread_terminates_only_that_thread_and_the_lead_keeps_waiting()
    {
        await using var h = await LeadWaitingOnTwoHangingThreadsAsync();
        var threads = await h.Store.ListThreadsAsync(h.Session.Id, CancellationToken.None);
        var (one, two) = (threads.Single(t => t.Agent.Name == "one"), threads.Single(t => t.Agent.Name == "two"));

        var targeted = await h.SendAsync(new UserInterruptEvent { SessionThreadId = one.Id });

        Assert.DoesNotContain(await h.LogAsync(two.Id), e => e.Event is UserInterruptEvent);
        var after = await h.FollowAsync(h.Session.Id, targeted[^1].Sequence, e => e.Any(x => x.Event is SessionThreadStatusTerminatedEvent t && t.SessionThreadId == one.Id));
        Assert.DoesNotContain(after, e => e.Event is SessionStatusIdleEvent);
        Assert.Equal(SessionStatus.Running, (await h.ReloadAsync()).Status);
        Assert.Equal(SessionStatus.Running, (await h.Store.GetThreadAsync(two.Id, CancellationToken.None))?.Status);

        var all = await h.SendAsync(new UserInterruptEvent());
        await h.FollowAsync(h.Session.Id, all[^1].Sequence, e => e.Any(x => x.Event is SessionStatusIdleEvent) && e.Any(x => x.Event is SessionThreadStatusTerminatedEvent t && t.SessionThreadId == two.Id));
        var refused = await h.Sessions.SendAsync(Workspaces.Default, h.Session.Id, [new UserInterruptEvent { SessionThreadId = "sthr_elsewhere" }], CancellationToken.None);
        Assert.Equal("event.session_thread_id", refused.Error?.Field);
    }
    // A store that fails session reads while told to, as a store that is locked or gone would.
    public class SessionReadsFail : System.Reflection.DispatchProxy
    {
        public ILucidStore Inner { get; set; } = new Lucid.Testing.Storage.InMemoryStore();

        public bool Failing { get; set; }

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (Failing && targetMethod.Name == nameof(ILucidStore.GetSessionAsync))
            {
                throw new InvalidOperationException("The store cannot read sessions right now.");
            }

            return targetMethod.Invoke(Inner, args);
        }
    }

    [Fact]
    public async Task A_thread_whose_turn_fails_before_it_starts_is_reported_to_the_waiting_lead_as_failed()
    {
        var store = System.Reflection.DispatchProxy.Create<ILucidStore, SessionReadsFail>();
        var control = (SessionReadsFail)(object)store;
        var helper = new ScriptedChatClient().Reply("never asked");
        await using var h = await SessionHarness.StartAsync(store: store, multiagent: _ => Task.FromResult(new MultiagentConfig()));
        h.Models.With("scripted/helper", helper);
        h.Model
            .Then((_, _) =>
            {
                // The lead's turn has its context; the thread's turn will fail to load its own.
                control.Failing = true;
                return Task.FromResult(h.Model.Response(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_start", "start_thread", new Dictionary<string, object?> { ["inline_agent"] = System.Text.Json.JsonSerializer.SerializeToElement(new { name = "fragile", model = "scripted/helper" }), ["task"] = "Try it." })])));
            })
            .CallTool("wait_for_threads", new { })
            .Reply("The helper failed.");

        var events = await h.RunTurnAsync("Delegate this.");
        control.Failing = false;

        var waited = events.Select(e => e.Event).OfType<AgentToolResultEvent>().Last();
        Assert.Contains("status=\"failed\"", Text(waited.Content), StringComparison.Ordinal);
        Assert.Contains("The store cannot read sessions right now.", Text(waited.Content), StringComparison.Ordinal);
        Assert.Empty(helper.Requests);
    }

    [Fact]
    public async Task Deleting_a_session_ends_the_streams_of_its_log_and_its_threads_logs()
    {
        await using var h = await SessionHarness.StartAsync(multiagent: _ => Task.FromResult(new MultiagentConfig()));
        h.Model.Reply("Hello.");
        await h.RunTurnAsync("Hi.");
        var agent = h.Agent with { Id = "", Version = 0, Name = "helper", Model = "scripted/helper", Multiagent = null };
        var thread = new SessionThread { Id = "sthr_gone", SessionId = h.Session.Id, ParentThreadId = SessionThread.PrimaryId(h.Session.Id), Depth = 1, Agent = agent, IsInline = true, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch };
        await h.Store.CreateThreadAsync(thread, CancellationToken.None);
        await h.Engine.Events.AppendAsync(LogId.Of(thread.Id), [new AgentThreadMessageReceivedEvent { Id = "sevt_gone1", ProcessedAt = DateTimeOffset.UnixEpoch, FromSessionThreadId = thread.ParentThreadId, Content = [new TextBlock("Task.")] }], CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var session = h.Engine.Events.SubscribeAsync(LogId.Of(h.Session.Id), 0, timeout.Token).GetAsyncEnumerator(timeout.Token);
        await using var child = h.Engine.Events.SubscribeAsync(LogId.Of(thread.Id), 0, timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await session.MoveNextAsync());
        Assert.True(await child.MoveNextAsync());

        Assert.True((await h.Sessions.DeleteAsync(Workspaces.Default, h.Session.Id, CancellationToken.None)).IsSuccess);

        while (await session.MoveNextAsync())
        {
        }

        Assert.False(await child.MoveNextAsync());
        Assert.False(timeout.IsCancellationRequested);
    }
}
