using Lucid.Agents;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Testing.Models;
using Lucid.Testing.Sessions;
using Microsoft.Extensions.AI;

namespace Lucid.Core.Tests.Threads;

public sealed class AdvisorTests
{
    private const string AdvisorModel = "scripted/advisor";

    private static async Task<Agent> CreateAgentAsync(AgentService agents, string name, string model, string system, MultiagentConfig? multiagent = null)
    {
        var created = await agents.CreateAsync(
            Workspaces.Default, new AgentDefinition { Name = name, Model = model, System = system, Tools = [new AgentToolset()], Multiagent = multiagent }, CancellationToken.None);
        return created.IsSuccess ? created.Value : throw new InvalidOperationException(created.Error.ToString());
    }

    private static IEnumerable<string> ToolNames(ScriptedRequest request) => request.Options?.Tools?.Select(t => t.Name) ?? [];

    private static List<FunctionResultContent> ToolResults(ScriptedRequest request) =>
        [.. request.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>()];

    [Fact]
    public async Task Only_the_primary_thread_consults_the_advisor_which_answers_in_a_fresh_context_and_counts_in_usage()
    {
        var advisor = new ScriptedChatClient { DefaultUsage = new() { InputTokenCount = 100, OutputTokenCount = 20 } };
        var researcher = new ScriptedChatClient();
        await using var h = await SessionHarness.StartAsync(
            system: "You lead the release.",
            multiagent: async agents => new MultiagentConfig
            {
                InlineAgents = false,
                // The researcher has an advisor of its own, which it does not get in a thread.
                PredefinedAgents = [new RosterEntry((await CreateAgentAsync(agents, "researcher", "scripted/researcher", "You research.", new MultiagentConfig { Subagents = false, Advisor = AdvisorModel })).Id)],
                Advisor = AdvisorModel,
            });
        h.Models.With(AdvisorModel, advisor).With("scripted/researcher", researcher);
        advisor.Reply("Check the changelog before you tag.");
        researcher.Reply("The changelog is complete.");
        ScriptedRequest? final = null;
        h.Model
            .CallTools("Reading the repository.", ("glob", new { pattern = "*" }))
            .CallTool("advisor", new { question = "What should I check first?" })
            .CallTool("start_thread", new { agent = "researcher", task = "Read the changelog." })
            .CallTool("wait_for_threads", new { })
            .Then((request, _) =>
            {
                final = request;
                return Task.FromResult(h.Model.Response(new ChatMessage(ChatRole.Assistant, "Released.")));
            });

        var events = await h.RunTurnAsync("Plan the 2.0 release.");

        Assert.Equal(StopReason.EndTurn, ((SessionStatusIdleEvent)events[^1].Event).StopReason);
        Assert.All(h.Model.Requests, r => Assert.Contains("advisor", ToolNames(r)));
        Assert.NotEmpty(researcher.Requests);
        Assert.All(researcher.Requests, r => Assert.DoesNotContain("advisor", ToolNames(r)));
        Assert.NotNull(final);
        Assert.Equal("Check the changelog before you tag.", ToolResults(final)[1].Result?.ToString());

        // A fresh context: the advisor's own instructions, then one message with the task, the conversation and the question; no tools.
        var consulted = Assert.Single(advisor.Requests);
        Assert.Null(consulted.Options?.Tools);
        Assert.Equal([ChatRole.System, ChatRole.User], consulted.Messages.Select(m => m.Role));
        Assert.Contains("You advise an AI agent", consulted.Messages[0].Text, StringComparison.Ordinal);
        var situation = consulted.Messages[1].Text;
        Assert.Contains("You lead the release.", situation, StringComparison.Ordinal);
        Assert.Contains("Plan the 2.0 release.", situation, StringComparison.Ordinal);
        Assert.Contains("Agent called glob", situation, StringComparison.Ordinal);
        Assert.Contains("What should I check first?", situation, StringComparison.Ordinal);

        // Five lead requests and one thread request at 10 input tokens each, and the advisor's 100.
        var session = await h.Store.GetSessionAsync(h.Session.Id, CancellationToken.None);
        Assert.Equal(160, session?.Usage.InputTokens);
        var log = await h.LogAsync();
        Assert.Contains(log, e => e.Event is SpanModelRequestStartEvent { Model: AdvisorModel });
    }

    [Fact]
    public async Task A_failing_advisor_is_a_tool_error_the_agent_reads()
    {
        var advisor = new ScriptedChatClient();
        await using var h = await SessionHarness.StartAsync(multiagent: _ => Task.FromResult(new MultiagentConfig { Subagents = false, Advisor = AdvisorModel }));
        h.Models.With(AdvisorModel, advisor);
        advisor.Throw(new InvalidOperationException("upstream broke"));
        ScriptedRequest? final = null;
        h.Model
            .CallTool("advisor", new { })
            .Then((request, _) =>
            {
                final = request;
                return Task.FromResult(h.Model.Response(new ChatMessage(ChatRole.Assistant, "I go on alone.")));
            });

        await h.RunTurnAsync("Do it.");

        Assert.NotNull(final);
        Assert.DoesNotContain("start_thread", ToolNames(final));
        var log = await h.LogAsync();
        var result = Assert.Single(log.Select(e => e.Event).OfType<AgentToolResultEvent>());
        Assert.True(result.IsError);
        Assert.Contains("The advisor could not be consulted", string.Concat(result.Content.OfType<TextBlock>().Select(b => b.Text)), StringComparison.Ordinal);
    }
}
