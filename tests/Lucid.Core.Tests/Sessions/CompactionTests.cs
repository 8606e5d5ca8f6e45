using Lucid.Agents;
using Lucid.Events;
using Lucid.Models;
using Lucid.Outcomes;
using Lucid.Sessions;
using Lucid.Testing.Models;
using Lucid.Testing.Sessions;
using Lucid.Threads;
using Microsoft.Extensions.AI;

namespace Lucid.Core.Tests.Sessions;

public sealed class CompactionTests
{
    private const string Summary = "SUMMARY of the earlier turns";
    private static int _ids;

    private static ModelCatalog SmallWindow(int window = 3_000) => new(new Dictionary<string, ModelInfo>
    {
        [SessionHarness.ModelName] = new() { ContextWindow = window, MaxOutputTokens = 200, IsKnown = true },
    });

    private static SessionEngineOptions Options(int window = 3_000) => new() { Catalog = SmallWindow(window) };

    private static bool IsSummaryRequest(ScriptedRequest request) =>
        request.Messages.Any(m => m.Role == ChatRole.System && m.Text.Contains("You compact the context", StringComparison.Ordinal));

    // A model that answers every request: a summary when asked for one, "ok N" otherwise.
    private static ScriptedChatClient Answering(ScriptedChatClient model, int steps, Func<CancellationToken, Task>? beforeSummary = null)
    {
        for (var i = 0; i < steps; i++)
        {
            model.Then(async (request, cancellationToken) =>
            {
                if (IsSummaryRequest(request))
                {
                    if (beforeSummary is not null)
                    {
                        await beforeSummary(cancellationToken);
                    }

                    return model.Response(new ChatMessage(ChatRole.Assistant, Summary));
                }

                return model.Response(new ChatMessage(ChatRole.Assistant, $"ok {Interlocked.Increment(ref _ids)}"));
            });
        }

        return model;
    }

    private static string Big(int turn) => $"turn {turn}: " + new string('y', 2_000);

    [Fact]
    public async Task The_prompt_size_the_provider_reported_counts_so_a_context_the_estimate_finds_small_is_compacted()
    {
        await using var h = await SessionHarness.StartAsync(options: Options());
        // The first answer reports a prompt of 2,300 tokens, past the threshold of 80% of the 2,800 the request may
        // hold; by the character estimate the conversation is a few dozen tokens.
        h.Model.Then((_, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { Usage = new UsageDetails { InputTokenCount = 2_300, OutputTokenCount = 5 } }));
        Answering(h.Model, 3);

        await h.RunTurnAsync("hello");
        await h.RunTurnAsync("again");

        var compacted = Assert.Single((await h.LogAsync()).Select(e => e.Event).OfType<AgentThreadContextCompactedEvent>());
        Assert.True(compacted.TokensBefore >= 2_300, $"{compacted.TokensBefore}");
        Assert.Contains(Summary, h.Model.Requests[^1].AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runner_rebuilt_from_the_log_sends_exactly_the_compacted_context_the_live_one_did()
    {
        await using var h = await SessionHarness.StartAsync(options: Options() with { RunnerIdleTimeout = TimeSpan.FromMilliseconds(20) });
        Answering(h.Model, 40);
        for (var turn = 1; turn <= 8; turn++)
        {
            await h.RunTurnAsync(Big(turn));
        }

        var log = (await h.LogAsync()).Select(e => e.Event).ToList();
        var compactions = log.OfType<AgentThreadContextCompactedEvent>().Count();
        Assert.True(compactions > 0);
        var live = h.Model.Requests.Last(r => !IsSummaryRequest(r)).Messages;

        // The runner retires; the next turn's runner folds the log, compaction included. A short message needs no
        // new compaction, so it sends what the live runner sent, its reply and the message.
        var retired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Engine.Runners.RunnerRetired += _ => retired.TrySetResult();
        await retired.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await h.RunTurnAsync("one more");

        Assert.Equal(compactions, (await h.LogAsync()).Count(e => e.Event is AgentThreadContextCompactedEvent));
        var rebuilt = h.Model.Requests[^1].Messages;
        var expected = live.Select(m => (m.Role, m.Text))
            .Append((ChatRole.Assistant, log.OfType<AgentMessageEvent>().Last().Content.OfType<TextBlock>().Single().Text))
            .Append((ChatRole.User, "one more"));
        Assert.Equal(expected, rebuilt.Select(m => (m.Role, m.Text)));
        Assert.StartsWith("[Summary of the earlier conversation", rebuilt.First(m => m.Role == ChatRole.User).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_compaction_keeps_the_active_outcome_and_its_fix_list_and_never_cuts_between_a_call_and_its_result()
    {
        var conversation = new Conversation();
        var sequence = 0L;
        void Apply(SessionEvent e) => conversation.Apply(new LoggedEvent("sesn_c", ++sequence, e with { Id = $"sevt_{sequence}" }));
        var outcome = new UserDefineOutcomeEvent { OutcomeId = "outc_1", Description = "RUBRIC: the report must cite three sources", Rubric = OutcomeRubric.Text("three sources"), MaxIterations = 3 };
        Apply(new UserMessageEvent { Content = [new TextBlock("first task")] });
        Apply(new AgentMessageEvent { Content = [new TextBlock("first answer")] });
        Apply(outcome);
        Apply(new SessionStatusRunningEvent());
        Apply(new AgentMessageEvent { Content = [new TextBlock("a draft")] });
        Apply(new SpanOutcomeEvaluationEndEvent { OutcomeId = "outc_1", OutcomeEvaluationStartId = "sevt_start", Iteration = 0, Result = OutcomeResult.NeedsRevision, Explanation = "FIX: add a third source" });
        Apply(new AgentToolUseEvent { Name = "read", Input = System.Text.Json.JsonSerializer.SerializeToElement(new { file_path = "a" }), EvaluatedPermission = ToolPermissions.Allow });
        var call = $"sevt_{sequence}";
        Apply(new AgentToolResultEvent { ToolUseId = call, Content = [new TextBlock("contents")] });
        var messages = conversation.Messages.ToList();
        var toolIndex = messages.FindIndex(m => m.Role == ChatRole.Tool);

        Assert.Equal(toolIndex - 1, conversation.CompactionCut(toolIndex));
        Assert.DoesNotContain(conversation.Compactable(toolIndex - 1), m => m.Text.Contains("RUBRIC", StringComparison.Ordinal) || m.Text.Contains("FIX", StringComparison.Ordinal));

        Apply(new AgentThreadContextCompactedEvent { Summary = Summary, CompactedMessages = toolIndex - 1 });

        var after = conversation.Messages.Select(m => m.Text).ToList();
        Assert.StartsWith("[Summary of the earlier conversation", after[0], StringComparison.Ordinal);
        Assert.Contains(Summary, after[0], StringComparison.Ordinal);
        Assert.Contains("RUBRIC", after[1], StringComparison.Ordinal);
        Assert.Contains("FIX: add a third source", after[2], StringComparison.Ordinal);
        Assert.Equal([ChatRole.Assistant, ChatRole.Tool], conversation.Messages.Skip(3).Select(m => m.Role));
        Assert.DoesNotContain(after, t => t.Contains("first task", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_compaction_cut_off_by_a_crash_leaves_a_consistent_context_and_is_done_again()
    {
        var hang = new TaskCompletionSource();
        await using var crashed = await SessionHarness.StartAsync(options: Options());
        Answering(crashed.Model, 40, beforeSummary: hang.Task.WaitAsync);
        for (var turn = 1; ; turn++)
        {
            var sent = await crashed.SayAsync(Big(turn));
            var first = await Task.WhenAny(crashed.WaitForIdleAsync(sent[^1].Sequence), WaitForSummaryRequestAsync(crashed.Model));
            if (crashed.Model.Requests.Any(IsSummaryRequest))
            {
                break;
            }

            await first;
        }

        // The process dies while the summary is being written: the engine stops, nothing more is logged.
        await crashed.Engine.DisposeAsync();
        var cutOff = await crashed.LogAsync();
        Assert.DoesNotContain(cutOff, e => e.Event is AgentThreadContextCompactedEvent);
        var model = Answering(new ScriptedChatClient(), 10);
        await using var restarted = new SessionEngine(crashed.Store, new ScriptedModels().With(SessionHarness.ModelName, model), Options() with { WorkDirectoriesRoot = Path.GetTempPath() });

        Assert.Equal(1, await restarted.RecoverAsync(CancellationToken.None));
        await foreach (var e in restarted.Events.FollowAsync(Lucid.Events.LogId.Of(crashed.Session.Id), cutOff[^1].Sequence, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token))
        {
            if (e.Event is SessionStatusIdleEvent)
            {
                break;
            }
        }

        var log = (await crashed.LogAsync()).Select(e => e.Event).ToList();
        Assert.Single(log.OfType<AgentThreadContextCompactedEvent>());
        Assert.DoesNotContain(log, e => e is SessionErrorEvent);
        var request = model.Requests.Last(r => !IsSummaryRequest(r)).Messages;
        Assert.Contains(Summary, request.First(m => m.Role == ChatRole.User).Text, StringComparison.Ordinal);
        Assert.EndsWith("y", request[^1].Text, StringComparison.Ordinal);
    }

    private static async Task WaitForSummaryRequestAsync(ScriptedChatClient model)
    {
        while (!model.Requests.Any(IsSummaryRequest))
        {
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task A_summary_the_provider_fails_to_write_ends_the_turn_as_a_failed_model_request_and_a_later_turn_compacts()
    {
        await using var h = await SessionHarness.StartAsync(options: Options());
        var failed = false;
        for (var i = 0; i < 20; i++)
        {
            h.Model.Then((request, _) =>
            {
                if (IsSummaryRequest(request) && !failed)
                {
                    failed = true;
                    throw new ModelRequestException(ModelErrorKind.Overloaded, "scripted: overloaded", 529);
                }

                return Task.FromResult(h.Model.Response(new ChatMessage(ChatRole.Assistant, IsSummaryRequest(request) ? Summary : "ok")));
            });
        }

        var errors = new List<SessionErrorEvent>();
        for (var turn = 1; turn <= 6; turn++)
        {
            errors.AddRange((await h.RunTurnAsync(Big(turn))).Select(e => e.Event).OfType<SessionErrorEvent>());
        }

        var error = Assert.Single(errors);
        Assert.Equal("model_overloaded_error", error.Error.Type);
        Assert.True(failed);
        Assert.Contains(await h.LogAsync(), e => e.Event is AgentThreadContextCompactedEvent);
    }

    [Fact]
    public async Task A_thread_compacts_its_own_context_in_its_own_log_and_keeps_its_task()
    {
        const string Assignment = "TASK: fill the report";
        var worker = new ScriptedChatClient();
        var catalog = new ModelCatalog(new Dictionary<string, ModelInfo>
        {
            ["scripted/small"] = new() { ContextWindow = 3_000, MaxOutputTokens = 200, IsKnown = true },
        });
        await using var h = await SessionHarness.StartAsync(
            options: new SessionEngineOptions { Catalog = catalog },
            multiagent: async agents =>
            {
                var created = await agents.CreateAsync(
                    Workspaces.Default, new AgentDefinition { Name = "worker", Model = "scripted/small", Tools = [new AgentToolset()] }, CancellationToken.None);
                return new MultiagentConfig { PredefinedAgents = [new RosterEntry(created.Value!.Id)] };
            });
        h.Models.With("scripted/small", worker);
        var rounds = 0;
        for (var i = 0; i < 40; i++)
        {
            worker.Then((request, _) => Task.FromResult(worker.Response(
                IsSummaryRequest(request) ? new ChatMessage(ChatRole.Assistant, Summary)
                : ++rounds <= 8 ? ScriptedChatClient.ToolCalls(null, ("bash", new { command = "head -c 2000 /dev/zero | tr '\\0' w" }))
                : new ChatMessage(ChatRole.Assistant, "worker done"))));
        }

        h.Model.CallTool("start_thread", new { agent = "worker", task = Assignment }).CallTool("wait_for_threads", new { }).Reply("lead done");
        await h.RunTurnAsync("Hand the report to the worker.");

        var thread = Assert.Single(await h.Store.ListThreadsAsync(h.Session.Id, CancellationToken.None));
        Assert.Contains(await h.LogAsync(thread.Id), e => e.Event is AgentThreadContextCompactedEvent);
        Assert.DoesNotContain(await h.LogAsync(), e => e.Event is AgentThreadContextCompactedEvent);
        var last = worker.Requests.Last(r => !IsSummaryRequest(r)).Messages;
        Assert.Contains(last, m => m.Role == ChatRole.User && m.Text.Contains(Summary, StringComparison.Ordinal));
        Assert.Contains(last, m => m.Role == ChatRole.User && m.Text == Assignment);
        Assert.Contains("worker done", h.Model.Requests[^1].AllText, StringComparison.Ordinal);
    }
}
