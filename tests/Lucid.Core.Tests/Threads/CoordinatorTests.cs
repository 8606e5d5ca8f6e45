using Lucid.Agents;
using Lucid.Events;
using Lucid.Testing.Models;
using Lucid.Testing.Sessions;
using Microsoft.Extensions.AI;

namespace Lucid.Core.Tests.Threads;

public sealed class CoordinatorTests
{
    [Fact]
    public async Task A_coordinator_runs_its_roster_agents_in_threads_and_may_not_define_inline_agents()
    {
        var reviewer = new ScriptedChatClient();
        await using var h = await SessionHarness.StartAsync(
            system: "You coordinate.",
            multiagent: async agents =>
            {
                var created = await agents.CreateAsync(
                    Workspaces.Default, new AgentDefinition { Name = "reviewer", Model = "scripted/reviewer", System = "You review." }, CancellationToken.None);
                return new MultiagentConfig { Coordinator = true, InlineAgents = false, PredefinedAgents = [new RosterEntry(created.Value?.Id)] };
            });
        h.Models.With("scripted/reviewer", reviewer);
        reviewer.Reply("Looks good.");
        ScriptedRequest? final = null;
        h.Model
            .CallTool("start_thread", new { inline_agent = new { name = "helper", system = "You help." }, task = "Help." })
            .CallTool("start_thread", new { agent = "reviewer", task = "Review the patch." })
            .CallTool("wait_for_threads", new { })
            .Then((request, _) =>
            {
                final = request;
                return Task.FromResult(h.Model.Response(new ChatMessage(ChatRole.Assistant, "Reviewed.")));
            });

        await h.RunTurnAsync("Get the patch reviewed.");

        Assert.NotNull(final);
        var results = final.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.Result?.ToString() ?? "").ToList();
        Assert.Contains("inline", results[0], StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("Started thread sthr_", results[1], StringComparison.Ordinal);
        Assert.Contains("Looks good.", results[2], StringComparison.Ordinal);
        var thread = Assert.Single(await h.Store.ListThreadsAsync(h.Session.Id, CancellationToken.None));
        Assert.Equal("reviewer", thread.Agent.Name);
        Assert.Equal("You review.", Assert.Single(reviewer.Requests).Messages[0].Text);
        Assert.Contains((await h.LogAsync()).Select(e => e.Event), e => e is SessionThreadCreatedEvent { AgentName: "reviewer" });
    }
}
