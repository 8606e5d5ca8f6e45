using System.Text.Json;
using Lucid.Agents;
using Lucid.Environments;
using Lucid.Events;
using Lucid.Outcomes;
using Lucid.Sessions;
using Lucid.Storage;
using Lucid.Threads;

namespace Lucid.Testing.Storage;

/// <summary>
/// The contract every store implements, written once. A storage project derives from this class and supplies a fresh,
/// empty store; every test here then runs against it.
/// </summary>
public abstract class StoreContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly JsonElement Schema = JsonDocument.Parse("""{"type":"object","properties":{"q":{"type":"string"}}}""").RootElement;

    /// <summary>Returns a new, empty store.</summary>
    protected abstract Task<ILucidStore> CreateStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    private static Agent NewAgent(string id, int version = 1, string workspace = Workspaces.Default, int minute = 0) => new()
    {
        Id = id,
        Version = version,
        WorkspaceId = workspace,
        Name = $"agent {id} v{version}",
        Model = "openai/test",
        System = "be brief",
        Tools =
        [
            new AgentToolset { Configs = [new ToolConfig { Name = "bash", PermissionPolicy = PermissionPolicy.AlwaysAsk }] },
            new CustomToolDefinition { Name = "lookup", Description = "Look up", InputSchema = Schema },
        ],
        Metadata = new Dictionary<string, string> { ["team"] = "core" },
        CreatedAt = T0.AddMinutes(minute),
        UpdatedAt = T0.AddMinutes(minute + version),
    };

    private static Session NewSession(string id, string workspace = Workspaces.Default, int minute = 0, string agentId = "agent_a", int agentVersion = 1) => new()
    {
        Id = id,
        WorkspaceId = workspace,
        AgentId = agentId,
        AgentVersion = agentVersion,
        EnvironmentId = "env_e",
        WorkDirectory = "/tmp/work",
        Title = "a session",
        Metadata = new Dictionary<string, string> { ["k"] = "v" },
        CreatedAt = T0.AddMinutes(minute),
        UpdatedAt = T0.AddMinutes(minute),
    };

    private static SessionEvent Message(int i) =>
        new AgentMessageEvent { Id = $"sevt_{Guid.NewGuid():N}", ProcessedAt = T0.AddSeconds(i), Content = [new TextBlock($"message {i}")] };

    [Fact]
    public async Task Agent_versions_are_stored_and_read_back_whole()
    {
        await using var store = await CreateStoreAsync();
        var v1 = NewAgent("agent_a");
        await store.CreateAgentAsync(v1, None);
        var v2 = v1 with
        {
            Version = 2,
            System = "be thorough",
            UpdatedAt = T0.AddHours(1),
            Multiagent = new MultiagentConfig { Coordinator = true, InlineAgents = false, PredefinedAgents = [new RosterEntry("agent_b", 1)], Advisor = "anthropic/claude-opus-4-1", AdvisorPosition = 0 },
        };

        Assert.True(await store.AddAgentVersionAsync(v2, None));

        var latest = await store.GetAgentAsync("agent_a", null, None);
        var first = await store.GetAgentAsync("agent_a", 1, None);
        Assert.Equal(2, latest?.Version);
        Assert.Equal("be thorough", latest?.System);
        Assert.Equal("be brief", first?.System);
        Assert.Equal(JsonSerializer.Serialize(v1, Json.LucidJsonContext.Default.Agent), JsonSerializer.Serialize(first, Json.LucidJsonContext.Default.Agent));
        Assert.Equal(JsonSerializer.Serialize(v2, Json.LucidJsonContext.Default.Agent), JsonSerializer.Serialize(latest, Json.LucidJsonContext.Default.Agent));
        Assert.Equal(("anthropic/claude-opus-4-1", true, 0), (latest?.Multiagent?.Advisor, latest?.Multiagent?.Coordinator, latest?.Multiagent?.AdvisorPosition));
        Assert.Null(await store.GetAgentAsync("agent_a", 3, None));
        Assert.Null(await store.GetAgentAsync("agent_missing", null, None));
    }

    [Fact]
    public async Task Adding_a_version_that_is_not_latest_plus_one_stores_nothing()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateAgentAsync(NewAgent("agent_a"), None);
        Assert.True(await store.AddAgentVersionAsync(NewAgent("agent_a", 2), None));

        Assert.False(await store.AddAgentVersionAsync(NewAgent("agent_a", 2), None));
        Assert.False(await store.AddAgentVersionAsync(NewAgent("agent_a", 4), None));
        Assert.False(await store.AddAgentVersionAsync(NewAgent("agent_missing", 2), None));
        Assert.Equal(2, (await store.ListAgentVersionsAsync("agent_a", new PageRequest(10), None)).Items.Count);
    }

    [Fact]
    public async Task Agent_versions_list_newest_first_across_pages()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateAgentAsync(NewAgent("agent_a"), None);
        for (var v = 2; v <= 5; v++)
        {
            Assert.True(await store.AddAgentVersionAsync(NewAgent("agent_a", v), None));
        }

        var first = await store.ListAgentVersionsAsync("agent_a", new PageRequest(3), None);
        var second = await store.ListAgentVersionsAsync("agent_a", new PageRequest(3, first.NextPage), None);

        Assert.Equal([5, 4, 3], first.Items.Select(a => a.Version));
        Assert.Equal([2, 1], second.Items.Select(a => a.Version));
        Assert.Null(second.NextPage);
    }

    [Fact]
    public async Task Agents_list_latest_versions_of_one_workspace_newest_first_and_hide_archived()
    {
        await using var store = await CreateStoreAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.CreateAgentAsync(NewAgent($"agent_{i}", minute: i), None);
        }

        await store.AddAgentVersionAsync(NewAgent("agent_1", 2, minute: 1), None);
        await store.CreateAgentAsync(NewAgent("agent_other", workspace: "other"), None);
        Assert.True(await store.ArchiveAgentAsync("agent_3", T0.AddDays(1), None));

        var page1 = await store.ListAgentsAsync(Workspaces.Default, new AgentQuery(), new PageRequest(2), None);
        var page2 = await store.ListAgentsAsync(Workspaces.Default, new AgentQuery(), new PageRequest(2, page1.NextPage), None);
        var all = await store.ListAgentsAsync(Workspaces.Default, new AgentQuery { IncludeArchived = true }, new PageRequest(10), None);

        Assert.Equal(["agent_4", "agent_2"], page1.Items.Select(a => a.Id));
        Assert.Equal(["agent_1", "agent_0"], page2.Items.Select(a => a.Id));
        Assert.Equal(2, page2.Items[0].Version);
        Assert.Null(page2.NextPage);
        Assert.Equal(5, all.Items.Count);
        Assert.Equal(T0.AddDays(1), all.Items.Single(a => a.Id == "agent_3").ArchivedAt);
        Assert.Equal(T0.AddDays(1), (await store.GetAgentAsync("agent_3", 1, None))?.ArchivedAt);
        Assert.False(await store.ArchiveAgentAsync("agent_missing", T0, None));
    }

    [Fact]
    public async Task Environments_are_created_updated_listed_and_scoped_to_their_workspace()
    {
        await using var store = await CreateStoreAsync();
        for (var i = 0; i < 3; i++)
        {
            await store.CreateEnvironmentAsync(new AgentEnvironment { Id = $"env_{i}", Name = $"e{i}", CreatedAt = T0.AddMinutes(i), UpdatedAt = T0.AddMinutes(i) }, None);
        }

        await store.CreateEnvironmentAsync(new AgentEnvironment { Id = "env_x", WorkspaceId = "other", Name = "x", CreatedAt = T0, UpdatedAt = T0 }, None);
        var env1 = await store.GetEnvironmentAsync("env_1", None);
        Assert.True(await store.UpdateEnvironmentAsync(env1! with { Name = "renamed", ArchivedAt = T0.AddDays(1) }, None));
        Assert.False(await store.UpdateEnvironmentAsync(env1 with { Id = "env_missing" }, None));

        var visible = await store.ListEnvironmentsAsync(Workspaces.Default, false, new PageRequest(1), None);
        var next = await store.ListEnvironmentsAsync(Workspaces.Default, false, new PageRequest(1, visible.NextPage), None);
        var all = await store.ListEnvironmentsAsync(Workspaces.Default, true, new PageRequest(10), None);

        Assert.Equal("renamed", (await store.GetEnvironmentAsync("env_1", None))?.Name);
        Assert.Equal(["env_2"], visible.Items.Select(e => e.Id));
        Assert.Equal(["env_0"], next.Items.Select(e => e.Id));
        Assert.Null(next.NextPage);
        Assert.Equal(["env_2", "env_1", "env_0"], all.Items.Select(e => e.Id));
        Assert.Null(await store.GetEnvironmentAsync("env_missing", None));
    }

    [Fact]
    public async Task Sessions_list_with_filters_order_and_paging()
    {
        await using var store = await CreateStoreAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.CreateSessionAsync(NewSession($"sesn_{i}", minute: i, agentVersion: i % 2 + 1), None);
        }

        await store.CreateSessionAsync(NewSession("sesn_other", workspace: "other"), None);
        await store.AppendAsync("sesn_2", [new SessionStatusRunningEvent { Id = "sevt_r", ProcessedAt = T0 }], None);
        var s4 = await store.GetSessionAsync("sesn_4", None);
        await store.UpdateSessionAsync(s4! with { ArchivedAt = T0.AddDays(1) }, None);

        var newest = await store.ListSessionsAsync(Workspaces.Default, new SessionQuery(), new PageRequest(2), None);
        var rest = await store.ListSessionsAsync(Workspaces.Default, new SessionQuery(), new PageRequest(2, newest.NextPage), None);
        var oldest = await store.ListSessionsAsync(Workspaces.Default, new SessionQuery { Ascending = true, IncludeArchived = true }, new PageRequest(10), None);
        var running = await store.ListSessionsAsync(Workspaces.Default, new SessionQuery { Statuses = new HashSet<SessionStatus> { SessionStatus.Running } }, new PageRequest(10), None);
        var version2 = await store.ListSessionsAsync(Workspaces.Default, new SessionQuery { AgentId = "agent_a", AgentVersion = 2, IncludeArchived = true }, new PageRequest(10), None);
        var window = await store.ListSessionsAsync(Workspaces.Default, new SessionQuery { CreatedAtOrAfter = T0.AddMinutes(1), CreatedBefore = T0.AddMinutes(3) }, new PageRequest(10), None);
        var everywhere = await store.ListSessionsAsync(null, new SessionQuery(), new PageRequest(10), None);

        Assert.Equal(["sesn_3", "sesn_2"], newest.Items.Select(s => s.Id));
        Assert.Equal(["sesn_1", "sesn_0"], rest.Items.Select(s => s.Id));
        Assert.Null(rest.NextPage);
        Assert.Equal(["sesn_0", "sesn_1", "sesn_2", "sesn_3", "sesn_4"], oldest.Items.Select(s => s.Id));
        Assert.Equal(["sesn_2"], running.Items.Select(s => s.Id));
        Assert.Equal(["sesn_3", "sesn_1"], version2.Items.Select(s => s.Id));
        Assert.Equal(["sesn_2", "sesn_1"], window.Items.Select(s => s.Id));
        Assert.Equal(5, everywhere.Items.Count);
        Assert.Contains(everywhere.Items, s => s.Id == "sesn_other");
    }

    [Fact]
    public async Task Session_update_changes_title_metadata_and_archive_but_never_status_or_usage()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateSessionAsync(NewSession("sesn_a"), None);
        await store.AppendAsync("sesn_a", [new SessionStatusRunningEvent { Id = "sevt_1", ProcessedAt = T0 }], None);
        var stale = NewSession("sesn_a") with { Title = "renamed", Metadata = new Dictionary<string, string> { ["x"] = "y" }, ArchivedAt = T0.AddDays(1), UpdatedAt = T0.AddDays(1) };

        Assert.True(await store.UpdateSessionAsync(stale, None));
        Assert.False(await store.UpdateSessionAsync(stale with { Id = "sesn_missing" }, None));

        var stored = await store.GetSessionAsync("sesn_a", None);
        Assert.Equal("renamed", stored?.Title);
        Assert.Equal("y", stored?.Metadata["x"]);
        Assert.Equal(T0.AddDays(1), stored?.ArchivedAt);
        Assert.Equal(SessionStatus.Running, stored?.Status);
        Assert.Equal(1, stored?.LastSequence);
    }

    [Fact]
    public async Task A_session_created_with_its_first_events_is_stored_whole_or_not_at_all()
    {
        await using var store = await CreateStoreAsync();
        var logged = await store.CreateSessionAsync(NewSession("sesn_a"), [Message(1), new SessionStatusRunningEvent { Id = "sevt_run", ProcessedAt = T0 }], None);

        Assert.Equal([1L, 2L], logged.Select(e => e.Sequence));
        Assert.Equal(2, (await store.ReadAsync("sesn_a", 0, 100, None)).Count);
        var created = await store.GetSessionAsync("sesn_a", None);
        Assert.Equal(SessionStatus.Running, created?.Status);
        Assert.Equal(2, created?.LastSequence);

        // An event ID already in a log fails the whole creation: no session, no events.
        await Assert.ThrowsAnyAsync<Exception>(() => store.CreateSessionAsync(NewSession("sesn_b"), [Message(3), logged[0].Event], None));
        Assert.Null(await store.GetSessionAsync("sesn_b", None));
        Assert.Empty(await store.ReadAsync("sesn_b", 0, 100, None));
    }

    [Fact]
    public async Task Deleting_a_session_removes_its_log()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateSessionAsync(NewSession("sesn_a"), None);
        await store.AppendAsync("sesn_a", [Message(1), Message(2)], None);

        Assert.True(await store.DeleteSessionAsync("sesn_a", None));

        Assert.Null(await store.GetSessionAsync("sesn_a", None));
        Assert.Empty(await store.ReadAsync("sesn_a", 0, 100, None));
        Assert.False(await store.DeleteSessionAsync("sesn_a", None));
    }

    [Fact]
    public async Task Append_assigns_consecutive_sequence_numbers_across_batches()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateSessionAsync(NewSession("sesn_a"), None);
        await store.CreateSessionAsync(NewSession("sesn_b"), None);

        var first = await store.AppendAsync("sesn_a", [Message(1), Message(2), Message(3)], None);
        var other = await store.AppendAsync("sesn_b", [Message(4)], None);
        var second = await store.AppendAsync("sesn_a", [Message(5), Message(6)], None);

        Assert.Equal([1L, 2, 3], first.Select(e => e.Sequence));
        Assert.Equal([1L], other.Select(e => e.Sequence));
        Assert.Equal([4L, 5], second.Select(e => e.Sequence));
        var log = await store.ReadAsync("sesn_a", 0, 100, None);
        Assert.Equal([1L, 2, 3, 4, 5], log.Select(e => e.Sequence));
        Assert.Equal(first.Concat(second).Select(e => e.Event.Id), log.Select(e => e.Event.Id));
        Assert.Equal([4L, 5], (await store.ReadAsync("sesn_a", 3, 100, None)).Select(e => e.Sequence));
        Assert.Equal([2L, 3], (await store.ReadAsync("sesn_a", 1, 2, None)).Select(e => e.Sequence));
        Assert.Equal(5, (await store.GetSessionAsync("sesn_a", None))?.LastSequence);
    }

    [Fact]
    public async Task Append_applies_the_session_projection_in_the_same_transaction()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateSessionAsync(NewSession("sesn_a"), None);
        var usage = new SessionUsage { InputTokens = 100, OutputTokens = 20, CacheReadInputTokens = 7, CacheCreationInputTokens = 3 };

        await store.AppendAsync("sesn_a",
        [
            new SessionStatusRunningEvent { Id = "sevt_1", ProcessedAt = T0.AddMinutes(5) },
            new SpanModelRequestEndEvent { Id = "sevt_2", ProcessedAt = T0.AddMinutes(6), ModelRequestStartId = "sevt_0", ModelUsage = usage },
            new SpanModelRequestEndEvent { Id = "sevt_3", ProcessedAt = T0.AddMinutes(7), ModelRequestStartId = "sevt_0", ModelUsage = usage },
        ], None);
        var running = await store.GetSessionAsync("sesn_a", None);
        await store.AppendAsync("sesn_a", [new SessionStatusIdleEvent { Id = "sevt_4", ProcessedAt = T0.AddMinutes(8), StopReason = StopReason.EndTurn }], None);
        var idle = await store.GetSessionAsync("sesn_a", None);

        Assert.Equal(SessionStatus.Running, running?.Status);
        Assert.Equal(SessionStatus.Idle, idle?.Status);
        Assert.Equal(200, idle?.Usage.InputTokens);
        Assert.Equal(40, idle?.Usage.OutputTokens);
        Assert.Equal(14, idle?.Usage.CacheReadInputTokens);
        Assert.Equal(6, idle?.Usage.CacheCreationInputTokens);
        Assert.Equal(4, idle?.LastSequence);
        Assert.Equal(T0.AddMinutes(8), idle?.UpdatedAt);
    }

    [Fact]
    public async Task Append_to_an_unknown_session_throws_and_writes_nothing()
    {
        await using var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.AppendAsync("sesn_missing", [Message(1)], None));

        Assert.Empty(await store.ReadAsync("sesn_missing", 0, 10, None));
    }

    [Fact]
    public async Task A_batch_with_a_duplicate_event_id_is_rejected_whole()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateSessionAsync(NewSession("sesn_a"), None);
        var once = Message(1);
        await store.AppendAsync("sesn_a", [once], None);

        await Assert.ThrowsAnyAsync<Exception>(() => store.AppendAsync("sesn_a", [Message(2), once], None));

        Assert.Single(await store.ReadAsync("sesn_a", 0, 10, None));
        Assert.Equal(1, (await store.GetSessionAsync("sesn_a", None))?.LastSequence);
    }

    [Fact]
    public async Task Concurrent_appends_produce_gapless_unique_sequences()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateSessionAsync(NewSession("sesn_a"), None);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => store.AppendAsync("sesn_a", [Message(i), Message(i + 100)], None))));

        var log = await store.ReadAsync("sesn_a", 0, 1000, None);
        Assert.Equal(Enumerable.Range(1, 80).Select(i => (long)i), log.Select(e => e.Sequence));
        Assert.Equal(80, log.Select(e => e.Event.Id).Distinct().Count());
        Assert.Equal(80, (await store.GetSessionAsync("sesn_a", None))?.LastSequence);
    }

    [Fact]
    public async Task Among_concurrent_appends_an_invalid_one_fails_alone()
    {
        await using var store = await CreateStoreAsync();
        var taken = Message(0);
        for (var i = 0; i < 20; i++)
        {
            await store.CreateSessionAsync(NewSession($"sesn_{i}"), None);
        }

        await store.AppendAsync("sesn_0", [taken], None);

        var valid = Enumerable.Range(0, 20).Select(i => Task.Run(() => store.AppendAsync($"sesn_{i}", [Message(i), Message(i + 20)], None))).ToList();
        var unknown = Task.Run(() => store.AppendAsync("sesn_missing", [Message(40)], None));
        var duplicate = Task.Run(() => store.AppendAsync("sesn_1", [Message(41), taken], None));

        await Assert.ThrowsAsync<KeyNotFoundException>(() => unknown);
        await Assert.ThrowsAnyAsync<Exception>(() => duplicate);
        await Task.WhenAll(valid);
        for (var i = 0; i < 20; i++)
        {
            var log = await store.ReadAsync($"sesn_{i}", 0, 100, None);
            Assert.Equal(i == 0 ? 3 : 2, log.Count);
            Assert.Equal(Enumerable.Range(1, log.Count).Select(s => (long)s), log.Select(e => e.Sequence));
            Assert.Equal(log.Count, (await store.GetSessionAsync($"sesn_{i}", None))?.LastSequence);
        }

        Assert.Empty(await store.ReadAsync("sesn_missing", 0, 10, None));
    }

    [Fact]
    public async Task Every_event_type_round_trips()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateSessionAsync(NewSession("sesn_a"), None);
        var input = JsonDocument.Parse("""{"command":"ls -la","n":[1,2]}""").RootElement;
        SessionEvent[] events =
        [
            new UserMessageEvent { Content = [new TextBlock("hi"), new TextBlock("there")] },
            new UserInterruptEvent(),
            new SystemMessageEvent { Content = [new TextBlock("Answer in French.")] },
            new UserToolConfirmationEvent { ToolUseId = "sevt_t", Result = ToolConfirmationResult.Deny, DenyMessage = "no" },
            new UserCustomToolResultEvent { CustomToolUseId = "sevt_c", Content = [new TextBlock("42")], IsError = true },
            new AgentMessageEvent { Content = [new TextBlock("hello ✓ ünïcode")] },
            new AgentThinkingEvent { Text = "hmm" },
            new AgentToolUseEvent { Name = "bash", Input = input, EvaluatedPermission = ToolPermissions.Ask, Evaluation = ToolEvaluation.Of(PermissionPolicy.AlwaysAsk) },
            new AgentToolResultEvent { ToolUseId = "sevt_t", Content = [new TextBlock("out")], IsError = false },
            new AgentCustomToolUseEvent { Name = "lookup", Input = input },
            new AgentMcpToolUseEvent
            {
                McpServerName = "tracker",
                Name = "find_issue",
                Input = input,
                EvaluatedPermission = ToolPermissions.Deny,
                Evaluation = new ToolEvaluation { Policy = PermissionPolicy.Auto, EvaluatedPermission = AutoJudgement.Denied("it reads another team's issues") },
            },
            new AgentMcpToolResultEvent { McpToolUseId = "sevt_m", Content = [new TextBlock("found"), new ImageBlock(new ImageSource("image/png", "iVBORw0KGgo="))], IsError = false },
            new AgentThreadContextCompactedEvent { Summary = "the user asked for a haiku", CompactedMessages = 12, TokensBefore = 9000, TokensAfter = 2500 },
            new SessionStatusRunningEvent(),
            new SessionStatusIdleEvent { StopReason = StopReason.RequiresAction(["sevt_t", "sevt_c"]) },
            new SessionStatusRescheduledEvent(),
            new SessionStatusTerminatedEvent(),
            new SessionErrorEvent { Error = new SessionError("model_overloaded_error", "busy", RetryStatus.Exhausted) },
            new SessionUsageEvent(),
            new SessionUpdatedEvent { Title = new("Renamed"), Metadata = new(new Dictionary<string, string> { ["team"] = "core" }) },
            new SpanModelRequestStartEvent { Model = "openai/test" },
            new SpanModelRequestEndEvent { ModelRequestStartId = "sevt_s", IsError = true, ModelUsage = new SessionUsage { InputTokens = 1, OutputTokens = 2, ListCostUsd = 0.000017m } },
            new UserDefineOutcomeEvent
            {
                OutcomeId = "outc_1",
                Description = "write a haiku",
                Rubric = OutcomeRubric.Text("- 3 lines\n- 5/7/5"),
                MaxIterations = 4,
                Checks = [new CommandCheck("test -f haiku.txt", 5000), new FileExistsCheck("haiku.txt"), new PatternCheck("haiku.txt", "moon", MustMatch: false)],
                GraderModel = "openai/grader",
                GraderSamples = 3,
            },
            new SpanOutcomeEvaluationStartEvent { OutcomeId = "outc_1", Iteration = 0 },
            new SpanOutcomeEvaluationOngoingEvent { OutcomeId = "outc_1", Iteration = 0 },
            new SpanOutcomeEvaluationEndEvent
            {
                OutcomeId = "outc_1",
                OutcomeEvaluationStartId = "sevt_o",
                Iteration = 0,
                Result = Lucid.Outcomes.OutcomeResult.NeedsRevision,
                Explanation = "line 2 has 6 syllables",
                Usage = new SessionUsage { InputTokens = 3 },
                Findings = [new OutcomeFinding("5/7/5", "line 2: 6", false, "add a syllable")],
                Checks = [new CheckResult("haiku.txt exists", true, "")],
                SampleVerdicts = ["needs_revision", "satisfied", "needs_revision"],
            },
            new OutcomeBaselineEvent
            {
                OutcomeId = "outc_1",
                Files = [new BaselineFile("big.bin", 20_000_000, null) { ModifiedAt = T0 }, new BaselineFile("haiku.txt", 12, "ab12")],
                FileCount = 3,
            },
            new SessionThreadCreatedEvent { SessionThreadId = "sthr_1", AgentName = "researcher" },
            new SessionThreadStatusRunningEvent { SessionThreadId = "sthr_1", AgentName = "researcher" },
            new SessionThreadStatusIdleEvent { SessionThreadId = "sthr_1", AgentName = "researcher", StopReason = StopReason.RetriesExhausted },
            new SessionThreadStatusRescheduledEvent { SessionThreadId = "sthr_1", AgentName = "researcher" },
            new SessionThreadStatusTerminatedEvent { SessionThreadId = "sthr_1", AgentName = "researcher" },
            new AgentThreadMessageSentEvent { ToSessionThreadId = "sthr_1", ToAgentName = "researcher", Content = [new TextBlock("look into it")] },
            new AgentThreadMessageReceivedEvent { FromSessionThreadId = "sthr_1", FromAgentName = "researcher", Content = [new TextBlock("found it")] },
        ];
        events = [.. events.Select((e, i) => e with { Id = $"sevt_{i:D3}", ProcessedAt = T0.AddMilliseconds(i * 1.5) })];

        await store.AppendAsync("sesn_a", events, None);
        var log = await store.ReadAsync("sesn_a", 0, 100, None);

        Assert.Equal(SessionEvent.AllTypeNames.Order(StringComparer.Ordinal), log.Select(e => e.Event.Type).Order(StringComparer.Ordinal));
        for (var i = 0; i < events.Length; i++)
        {
            Assert.Equal(
                JsonSerializer.Serialize(events[i], Json.LucidJsonContext.Default.SessionEvent),
                JsonSerializer.Serialize(log[i].Event, Json.LucidJsonContext.Default.SessionEvent));
            Assert.Equal(events[i].ProcessedAt, log[i].Event.ProcessedAt);
        }
    }

    [Fact]
    public async Task Session_updated_event_changes_the_fields_it_carries_and_keeps_the_others()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateSessionAsync(NewSession("sesn_a"), None);
        var budget = new SessionBudget { MaxListCost = MonetaryAmount.Cents(500) };
        await store.AppendAsync("sesn_a", [new SessionUpdatedEvent { Id = "sevt_1", ProcessedAt = T0.AddMinutes(1), Title = new("Renamed"), Budget = new(budget) }], None);
        var renamed = await store.GetSessionAsync("sesn_a", None);
        await store.AppendAsync("sesn_a", [new SessionUpdatedEvent { Id = "sevt_2", ProcessedAt = T0.AddMinutes(2), Budget = new(null) }], None);
        await store.AppendAsync("sesn_a", [new SessionUpdatedEvent { Id = "sevt_3", ProcessedAt = T0.AddMinutes(3), Metadata = new(new Dictionary<string, string>()) }], None);

        var session = await store.GetSessionAsync("sesn_a", None);
        Assert.Equal("v", renamed?.Metadata["k"]);
        Assert.Equal(budget, renamed?.Budget);
        Assert.Equal("Renamed", session?.Title);
        Assert.Empty(session?.Metadata ?? new Dictionary<string, string> { ["k"] = "v" });
        Assert.Null(session?.Budget);
        Assert.Equal(T0.AddMinutes(3), session?.UpdatedAt);
        var log = await store.ReadAsync("sesn_a", 0, 10, None);
        Assert.Equal("""{"type":"session.updated","title":"Renamed","budget":{"type":"limit","max_list_cost":{"amount":"500","currency":"USD"}}}""", WithoutStamp(log[0].Json));
        Assert.Equal("""{"type":"session.updated","budget":null}""", WithoutStamp(log[1].Json));
        Assert.Equal("""{"type":"session.updated","metadata":{}}""", WithoutStamp(log[2].Json));
    }

    private static string WithoutStamp(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove("id");
        node.Remove("processed_at");
        return node.ToJsonString();
    }

    [Fact]
    public async Task Events_list_filters_by_type_and_time_in_either_order_with_paging()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateSessionAsync(NewSession("sesn_a"), None);
        var events = Enumerable.Range(1, 10).Select(i => i % 2 == 0
            ? Message(i)
            : new UserMessageEvent { Id = $"sevt_u{i}", ProcessedAt = T0.AddSeconds(i), Content = [new TextBlock($"u{i}")] }).ToList();
        await store.AppendAsync("sesn_a", events, None);

        var page1 = await store.ListEventsAsync("sesn_a", new EventQuery(), new PageRequest(4), None);
        var page2 = await store.ListEventsAsync("sesn_a", new EventQuery(), new PageRequest(4, page1.NextPage), None);
        var page3 = await store.ListEventsAsync("sesn_a", new EventQuery(), new PageRequest(4, page2.NextPage), None);
        var agentOnly = await store.ListEventsAsync("sesn_a", new EventQuery { Types = new HashSet<string> { "agent.message" } }, new PageRequest(100), None);
        var window = await store.ListEventsAsync("sesn_a", new EventQuery { ProcessedAfter = T0.AddSeconds(3), ProcessedAtOrBefore = T0.AddSeconds(6) }, new PageRequest(100), None);
        var newest = await store.ListEventsAsync("sesn_a", new EventQuery { Descending = true }, new PageRequest(3), None);
        var older = await store.ListEventsAsync("sesn_a", new EventQuery { Descending = true }, new PageRequest(3, newest.NextPage), None);

        Assert.Equal([1L, 2, 3, 4], page1.Items.Select(e => e.Sequence));
        Assert.Equal([5L, 6, 7, 8], page2.Items.Select(e => e.Sequence));
        Assert.Equal([9L, 10], page3.Items.Select(e => e.Sequence));
        Assert.Null(page3.NextPage);
        Assert.Equal([2L, 4, 6, 8, 10], agentOnly.Items.Select(e => e.Sequence));
        Assert.Equal([4L, 5, 6], window.Items.Select(e => e.Sequence));
        Assert.Equal([10L, 9, 8], newest.Items.Select(e => e.Sequence));
        Assert.Equal([7L, 6, 5], older.Items.Select(e => e.Sequence));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.ListEventsAsync("sesn_a", new EventQuery(), new PageRequest(4, "not-a-cursor"), None));
    }

    [Fact]
    public async Task Threads_are_stored_listed_in_creation_order_and_archived()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateSessionAsync(NewSession("sesn_a"), None);
        await store.CreateSessionAsync(NewSession("sesn_b"), None);
        var inline = NewAgent("") with { Version = 0, Name = "checker", Multiagent = null };
        await store.CreateThreadAsync(NewThread("sthr_2", "sesn_a", minute: 2, agent: inline, inline: true), None);
        await store.CreateThreadAsync(NewThread("sthr_1", "sesn_a", minute: 1), None);
        await store.CreateThreadAsync(NewThread("sthr_3", "sesn_b", minute: 0), None);

        Assert.Equal(["sthr_1", "sthr_2"], (await store.ListThreadsAsync("sesn_a", None)).Select(t => t.Id));
        var read = await store.GetThreadAsync("sthr_2", None);
        Assert.NotNull(read);
        Assert.True(read.IsInline);
        Assert.Equal("checker", read.Agent.Name);
        Assert.Equal(2, read.Depth);
        Assert.Equal("sthr_parent", read.ParentThreadId);
        Assert.Equal(JsonSerializer.Serialize(inline, Json.LucidJsonContext.Default.Agent), JsonSerializer.Serialize(read.Agent, Json.LucidJsonContext.Default.Agent));
        Assert.Null(await store.GetThreadAsync("sthr_nope", None));

        Assert.True(await store.ArchiveThreadAsync("sthr_1", T0.AddDays(1), None));
        Assert.False(await store.ArchiveThreadAsync("sthr_nope", T0, None));
        var archived = await store.GetThreadAsync("sthr_1", None);
        Assert.Equal(T0.AddDays(1), archived?.ArchivedAt);
        Assert.False(archived?.IsLive);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.CreateThreadAsync(NewThread("sthr_x", "sesn_nope"), None));
    }

    [Fact]
    public async Task A_threads_log_is_its_own_updates_the_thread_and_adds_its_usage_to_the_session()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateSessionAsync(NewSession("sesn_a"), None);
        await store.CreateThreadAsync(NewThread("sthr_1", "sesn_a"), None);
        await store.AppendAsync("sesn_a", [Message(0), new SpanModelRequestEndEvent { Id = "sevt_lead", ProcessedAt = T0, ModelRequestStartId = "s", ModelUsage = new SessionUsage { InputTokens = 100 } }], None);

        var logged = await store.AppendAsync(
            "sthr_1",
            [
                new SessionThreadStatusRunningEvent { Id = "sevt_r", ProcessedAt = T0.AddSeconds(1), SessionThreadId = "sthr_1", AgentName = "a" },
                new SpanModelRequestEndEvent { Id = "sevt_e", ProcessedAt = T0.AddSeconds(2), ModelRequestStartId = "s", ModelUsage = new SessionUsage { InputTokens = 7, OutputTokens = 3 } },
            ],
            None);

        Assert.Equal([1L, 2L], logged.Select(e => e.Sequence));
        Assert.All(logged, e => Assert.Equal("sthr_1", e.SessionId));
        var thread = await store.GetThreadAsync("sthr_1", None);
        Assert.Equal(SessionStatus.Running, thread?.Status);
        Assert.Equal(7, thread?.Usage.InputTokens);
        Assert.Equal(2, thread?.LastSequence);
        var session = await store.GetSessionAsync("sesn_a", None);
        Assert.Equal(107, session?.Usage.InputTokens);
        Assert.Equal(3, session?.Usage.OutputTokens);
        Assert.Equal(SessionStatus.Idle, session?.Status);
        Assert.Equal(2, session?.LastSequence);
        Assert.Equal(["sthr_1"], (await store.ListRunningThreadsAsync(None)).Select(t => t.Id));
        Assert.Equal(["sevt_r", "sevt_e"], (await store.ReadAsync("sthr_1", 0, 10, None)).Select(e => e.Event.Id));
        Assert.Equal(2, (await store.ReadAsync("sesn_a", 0, 10, None)).Count);
        var listed = await store.ListEventsAsync("sthr_1", new EventQuery { Types = new HashSet<string> { "span.model_request_end" } }, new PageRequest(10), None);
        Assert.Equal(["sevt_e"], listed.Items.Select(e => e.Event.Id));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.AppendAsync("sthr_nope", [Message(1)], None));

        await store.DeleteSessionAsync("sesn_a", None);
        Assert.Null(await store.GetThreadAsync("sthr_1", None));
        Assert.Empty(await store.ReadAsync("sthr_1", 0, 10, None));
    }

    [Fact]
    public async Task A_usage_snapshot_is_filled_with_the_sessions_usage_cost_and_budget_as_of_its_place_in_the_batch()
    {
        await using var store = await CreateStoreAsync();
        var budget = new SessionBudget { MaxListCost = MonetaryAmount.Cents(5) };
        await store.CreateSessionAsync(NewSession("sesn_a") with { Budget = budget }, None);
        await store.CreateThreadAsync(NewThread("sthr_1", "sesn_a"), None);
        SessionEvent End(string id, int input, decimal cost) =>
            new SpanModelRequestEndEvent { Id = id, ProcessedAt = T0, ModelRequestStartId = "s", ModelUsage = new SessionUsage { InputTokens = input, ListCostUsd = cost } };

        var lead = await store.AppendAsync(
            "sesn_a",
            [
                new SessionStatusRunningEvent { Id = "sevt_run", ProcessedAt = T0 },
                End("sevt_e1", 100, 0.011m),
                new SessionUsageEvent { Id = "sevt_u1", ProcessedAt = T0 },
                End("sevt_e2", 50, 0.002m),
                new SessionStatusIdleEvent { Id = "sevt_idle", ProcessedAt = T0.AddSeconds(4), StopReason = StopReason.EndTurn },
            ],
            None);
        var thread = await store.AppendAsync(
            "sthr_1",
            [
                new SessionThreadStatusRunningEvent { Id = "sevt_tr", ProcessedAt = T0.AddSeconds(10), SessionThreadId = "sthr_1", AgentName = "a" },
                End("sevt_e3", 7, 0.0001m),
                new SessionUsageEvent { Id = "sevt_u2", ProcessedAt = T0.AddSeconds(12) },
                new SessionThreadStatusIdleEvent { Id = "sevt_ti", ProcessedAt = T0.AddSeconds(12.5), SessionThreadId = "sthr_1", AgentName = "a", StopReason = StopReason.EndTurn },
            ],
            None);

        // Each snapshot counts what was committed before it, in the session's log and its threads' (cost rounded up to the cent).
        var first = Assert.IsType<SessionUsageEvent>(lead[2].Event);
        Assert.Equal((100L, "2"), (first.Usage.InputTokens, first.Usage.ListCost?.Amount));
        Assert.Equal(budget, first.Budget);
        var second = Assert.IsType<SessionUsageEvent>(thread[2].Event);
        Assert.Equal((157L, "2"), (second.Usage.InputTokens, second.Usage.ListCost?.Amount));
        Assert.Equal(JsonSerializer.Serialize(second, Json.LucidJsonContext.Default.SessionEvent), JsonSerializer.Serialize((await store.ReadAsync("sthr_1", 2, 1, None))[0].Event, Json.LucidJsonContext.Default.SessionEvent));

        // The session sums the exact costs and the running time of its own log and, apart, its threads'.
        var session = await store.GetSessionAsync("sesn_a", None);
        Assert.Equal(0.0131m, session?.Usage.ListCostUsd);
        Assert.Equal(4, session?.Activity.Seconds);
        Assert.Equal(2.5, session?.ThreadsActiveSeconds);
        Assert.Equal(2.5, (await store.GetThreadAsync("sthr_1", None))?.Activity.Seconds);
        Assert.Equal(budget, session?.Budget);
    }

    private static SessionThread NewThread(string id, string sessionId, int minute = 0, Agent? agent = null, bool inline = false) => new()
    {
        Id = id,
        SessionId = sessionId,
        ParentThreadId = "sthr_parent",
        Depth = 2,
        Agent = agent ?? NewAgent("agent_x") with { Multiagent = new MultiagentConfig { InlineAgents = false, PredefinedAgents = [new RosterEntry("agent_y", 3), RosterEntry.Self] } },
        IsInline = inline,
        CreatedAt = T0.AddMinutes(minute),
        UpdatedAt = T0.AddMinutes(minute),
    };
}
