using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Testing.Models;

namespace Lucid.Conformance.Tests;

/// <summary>
/// The <c>auto</c> permission policy through the official SDK: the agent's own model reviews each call in a fresh
/// context (the scripted model answers the worker's and the reviewer's requests in turn).
/// </summary>
[Collection(ServerTestGroup.Name)]
public sealed class AutoPermissionConformanceTests(LucidServerFixture server)
{
    private static string TypeOf(BetaManagedAgentsStreamSessionEvents e) => e.Json.GetProperty("type").GetString() ?? "";

    // An agent whose built-in tools are all under auto, a session started with one message, and its stream until idle,
    // every event validated by the SDK (as are the listed ones, which must be the same).
    private async Task<(string SessionId, List<BetaManagedAgentsStreamSessionEvents> Streamed)> RunAsync(ScriptedChatClient script, string text)
    {
        var model = $"scripted/auto-{Guid.NewGuid():N}";
        server.Scripted.With(model, script);
        var client = server.Alpha;
        var agent = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "careful",
            Model = new BetaManagedAgentsModelConfigParams { ID = model },
            System = "You keep notes. Never store secrets.",
            Tools =
            [
                new BetaManagedAgentsAgentToolset20260401Params
                {
                    DefaultConfig = new BetaManagedAgentsAgentToolsetDefaultConfigParams { PermissionPolicy = new BetaManagedAgentsAutoPolicy() },
                },
            ],
        });
        agent.Validate();
        Assert.Equal("auto", agent.Tools[0].Json.GetProperty("default_config").GetProperty("permission_policy").GetProperty("type").GetString());
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "local" });
        var session = await client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = text }] }],
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var streamed = new List<BetaManagedAgentsStreamSessionEvents>();
        await foreach (var e in client.Beta.Sessions.Events.StreamStreaming(session.ID, new EventStreamParams(), timeout.Token))
        {
            e.Validate();
            streamed.Add(e);
            if (TypeOf(e) == "session.status_idle")
            {
                break;
            }
        }

        var listed = await client.Beta.Sessions.Events.List(session.ID);
        listed.Items.ToList().ForEach(e => e.Validate());
        Assert.Equal(streamed.Select(e => e.Json.GetProperty("id").GetString()), listed.Items.Select(e => e.Json.GetProperty("id").GetString()));
        return (session.ID, streamed);
    }

    private static List<BetaManagedAgentsAgentToolUseEvent> Uses(List<BetaManagedAgentsStreamSessionEvents> streamed) =>
        [.. streamed.Select(e => e.TryPickAgentToolUseEvent(out var use) ? use : null).OfType<BetaManagedAgentsAgentToolUseEvent>()];

    private static List<string?> Permissions(List<BetaManagedAgentsStreamSessionEvents> streamed) =>
        [.. streamed.Where(e => TypeOf(e) == "agent.tool_use").Select(e => e.Json.GetProperty("evaluated_permission").GetString())];

    private static string? ReasonOf(List<BetaManagedAgentsStreamSessionEvents> streamed, string useId) =>
        streamed.Select(e => e.Json).Single(j => j.GetProperty("id").GetString() == useId)
            .GetProperty("evaluation").GetProperty("evaluated_permission").GetProperty("reason").GetString();

    private static BetaManagedAgentsAgentAutoEvaluatedPermission Judgement(BetaManagedAgentsAgentToolUseEvent use)
    {
        Assert.NotNull(use.Evaluation);
        Assert.True(use.Evaluation.TryPickAuto(out var auto));
        return auto.EvaluatedPermission;
    }

    private static string ResultText(List<BetaManagedAgentsStreamSessionEvents> streamed, string useId) =>
        streamed.Select(e => e.Json).Single(j => j.GetProperty("type").GetString() == "agent.tool_result" && j.GetProperty("tool_use_id").GetString() == useId)
            .GetProperty("content")[0].GetProperty("text").GetString() ?? "";

    [Fact]
    public async Task Under_auto_the_reviewer_allows_one_call_and_denies_another_with_its_reason()
    {
        var script = new ScriptedChatClient()
            .CallTools(null, ("write", new { file_path = "list.md", content = "milk" }), ("write", new { file_path = "secrets.md", content = "pin 1234" }))
            .Reply("""{"reason":"A shopping list is a note.","decision":"allow"}""")
            .Reply("""{"reason":"A PIN is a secret, which the agent must never store.","decision":"deny"}""")
            .Reply("The list is written; the PIN was refused.");

        var (sessionId, streamed) = await RunAsync(script, "Note my shopping list, and my PIN 1234.");

        var uses = Uses(streamed);
        Assert.Equal(["allow", "deny"], Permissions(streamed));
        Assert.True(Judgement(uses[0]).TryPickAllow(out _));
        Assert.True(Judgement(uses[1]).TryPickDeny(out var deny));
        Assert.Equal("high_risk", deny.ReasonCode);
        Assert.Equal("A PIN is a secret, which the agent must never store.", ReasonOf(streamed, uses[1].ID));
        Assert.Contains("A PIN is a secret", ResultText(streamed, uses[1].ID), StringComparison.Ordinal);
        var work = Path.Combine(server.WorkDirectoriesRoot, sessionId);
        Assert.True(File.Exists(Path.Combine(work, "list.md")));
        Assert.False(File.Exists(Path.Combine(work, "secrets.md")));

        // The reviews were model requests of the session: four requests, each 10 tokens in and 5 out.
        var session = await server.Alpha.Beta.Sessions.Retrieve(sessionId);
        session.Validate();
        Assert.Equal(40, session.Usage.InputTokens);
        Assert.Equal(4, streamed.Count(e => TypeOf(e) == "span.model_request_end"));
        Assert.Contains("Never store secrets.", script.Requests[2].AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("pin 1234", script.Requests[1].AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_auto_a_reviewer_that_fails_denies_the_call_as_indeterminate_with_the_cause()
    {
        var script = new ScriptedChatClient()
            .CallTool("write", new { file_path = "todo.md", content = "call mum" })
            .Throw(new InvalidOperationException("the reviewer's provider is down"))
            .Reply("I could not write the note.");

        var (sessionId, streamed) = await RunAsync(script, "Note: call mum.");

        var use = Assert.Single(Uses(streamed));
        Assert.Equal(["deny"], Permissions(streamed));
        Assert.True(Judgement(use).TryPickDeny(out var deny));
        Assert.Equal("indeterminate", deny.ReasonCode);
        Assert.Contains("the reviewer's provider is down", ResultText(streamed, use.ID), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(server.WorkDirectoriesRoot, sessionId, "todo.md")));
        Assert.Equal("end_turn", streamed[^1].Json.GetProperty("stop_reason").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Under_auto_a_reviewer_that_asks_holds_the_call_for_the_clients_confirmation()
    {
        var script = new ScriptedChatClient()
            .CallTool("write", new { file_path = "plan.md", content = "step one" })
            .Reply("""{"reason":"Whether the user wants a plan file is unclear.","decision":"ask"}""")
            .Reply("The plan is written.");

        var (sessionId, asked) = await RunAsync(script, "Plan my week.");

        var use = Assert.Single(Uses(asked));
        Assert.Equal(["ask"], Permissions(asked));
        Assert.True(Judgement(use).TryPickAsk(out var ask));
        Assert.Equal("indeterminate", ask.ReasonCode);
        Assert.Equal("Whether the user wants a plan file is unclear.", ReasonOf(asked, use.ID));
        var idle = asked[^1].Json.GetProperty("stop_reason");
        Assert.Equal("requires_action", idle.GetProperty("type").GetString());
        Assert.Equal(use.ID, Assert.Single(idle.GetProperty("event_ids").EnumerateArray()).GetString());
        var work = Path.Combine(server.WorkDirectoriesRoot, sessionId);
        Assert.False(File.Exists(Path.Combine(work, "plan.md")));

        await server.Alpha.Beta.Sessions.Events.Send(sessionId, new EventSendParams
        {
            Events = [new BetaManagedAgentsUserToolConfirmationEventParams { ToolUseID = use.ID, Result = BetaManagedAgentsUserToolConfirmationEventParamsResult.Allow }],
        });
        var all = await SessionStreams.UntilIdleAsync(server.Alpha, sessionId, 2);

        Assert.Equal("step one", await File.ReadAllTextAsync(Path.Combine(work, "plan.md")));
        Assert.Single(all, e => TypeOf(e) == "agent.tool_result");
        Assert.Equal("end_turn", all[^1].Json.GetProperty("stop_reason").GetProperty("type").GetString());
    }
}
