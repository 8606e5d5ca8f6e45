using Lucid.Agents;
using Lucid.Results;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Agents;

public sealed class MultiagentValidationTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static AgentDefinition Lead(MultiagentConfig multiagent) => new() { Name = "lead", Model = "scripted/worker", Multiagent = multiagent };

    private static async Task<Agent> CreateAsync(AgentService agents, string name)
    {
        var created = await agents.CreateAsync(Workspaces.Default, new AgentDefinition { Name = name, Model = "scripted/worker" }, None);
        return created.IsSuccess ? created.Value : throw new InvalidOperationException(created.Error.ToString());
    }

    private static void AssertInvalid(Result<Agent> result, string field, string fragment)
    {
        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorKind.InvalidRequest, result.Error.Kind);
        Assert.Equal(field, result.Error.Field);
        Assert.Contains(fragment, result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predefined_agents_are_pinned_to_their_latest_version_and_self_follows_the_owner()
    {
        await using var store = new InMemoryStore();
        var agents = new AgentService(store, store);
        var researcher = await CreateAsync(agents, "researcher");
        await agents.UpdateAsync(Workspaces.Default, researcher.Id, null, new AgentDefinition { Name = "researcher", Model = "scripted/other" }, None);

        var lead = await agents.CreateAsync(Workspaces.Default, Lead(new MultiagentConfig { PredefinedAgents = [new RosterEntry(researcher.Id), RosterEntry.Self] }), None);

        Assert.True(lead.IsSuccess);
        Assert.Equal([new RosterEntry(researcher.Id, 2), RosterEntry.Self], lead.Value.Multiagent?.PredefinedAgents);
        var same = await agents.UpdateAsync(Workspaces.Default, lead.Value.Id, null, Lead(new MultiagentConfig { PredefinedAgents = [new RosterEntry(researcher.Id, 2), RosterEntry.Self] }), None);
        Assert.Equal(1, same.Value?.Version);
    }

    [Fact]
    public async Task With_inline_agents_disabled_the_roster_must_name_an_agent()
    {
        await using var store = new InMemoryStore();
        var result = await new AgentService(store, store).CreateAsync(Workspaces.Default, Lead(new MultiagentConfig { InlineAgents = false }), None);

        AssertInvalid(result, "multiagent.subagents.predefined_agents", "must name at least one agent");
    }

    [Fact]
    public async Task Missing_archived_duplicate_and_too_many_predefined_agents_are_refused()
    {
        await using var store = new InMemoryStore();
        var agents = new AgentService(store, store);
        var archived = await CreateAsync(agents, "old");
        await agents.ArchiveAsync(Workspaces.Default, archived.Id, None);
        var fine = await CreateAsync(agents, "fine");

        AssertInvalid(await agents.CreateAsync(Workspaces.Default, Lead(new MultiagentConfig { PredefinedAgents = [new RosterEntry("agent_missing")] }), None),
            "multiagent.subagents.predefined_agents[0]", "does not exist");
        AssertInvalid(await agents.CreateAsync(Workspaces.Default, Lead(new MultiagentConfig { PredefinedAgents = [new RosterEntry(fine.Id), new RosterEntry(archived.Id)] }), None),
            "multiagent.subagents.predefined_agents[1]", "is archived");
        AssertInvalid(await agents.CreateAsync(Workspaces.Default, Lead(new MultiagentConfig { PredefinedAgents = [new RosterEntry(fine.Id), new RosterEntry(fine.Id, 1)] }), None),
            "multiagent.subagents.predefined_agents[1]", "more than once");
        AssertInvalid(await agents.CreateAsync(Workspaces.Default, Lead(new MultiagentConfig { PredefinedAgents = [new RosterEntry(fine.Id, 7)] }), None),
            "multiagent.subagents.predefined_agents[0]", "has no version 7");
        AssertInvalid(await agents.CreateAsync(Workspaces.Default, Lead(new MultiagentConfig { PredefinedAgents = [.. Enumerable.Repeat(RosterEntry.Self, 21)] }), None),
            "multiagent.subagents.predefined_agents", "At most 20");
        var otherWorkspace = await agents.CreateAsync("other", Lead(new MultiagentConfig { PredefinedAgents = [new RosterEntry(fine.Id)] }), None);
        AssertInvalid(otherWorkspace, "multiagent.subagents.predefined_agents[0]", "does not exist");
    }

    [Fact]
    public async Task A_coordinator_names_1_to_20_agents_none_with_a_multiagent_of_its_own_counting_its_advisor_in_positions()
    {
        await using var store = new InMemoryStore();
        var agents = new AgentService(store, store);
        var plain = await CreateAsync(agents, "plain");
        var lead = await agents.CreateAsync(Workspaces.Default, Lead(new MultiagentConfig { PredefinedAgents = [new RosterEntry(plain.Id)] }), None);

        AssertInvalid(await agents.CreateAsync(Workspaces.Default, Lead(new MultiagentConfig { Coordinator = true, Subagents = false, InlineAgents = false }), None),
            "multiagent.agents", "1–20 entries");
        AssertInvalid(
            await agents.CreateAsync(Workspaces.Default, Lead(new MultiagentConfig { Coordinator = true, InlineAgents = false, PredefinedAgents = [.. Enumerable.Repeat(RosterEntry.Self, 20)], Advisor = "scripted/advisor", AdvisorPosition = 0 }), None),
            "multiagent.agents", "got 21");
        AssertInvalid(
            await agents.CreateAsync(Workspaces.Default, Lead(new MultiagentConfig { Coordinator = true, InlineAgents = false, PredefinedAgents = [new RosterEntry(plain.Id), new RosterEntry(lead.Value?.Id)], Advisor = "scripted/advisor", AdvisorPosition = 1 }), None),
            "multiagent.agents[2]", "depth limit 1");

        var coordinator = await agents.CreateAsync(
            Workspaces.Default, Lead(new MultiagentConfig { Coordinator = true, InlineAgents = false, PredefinedAgents = [new RosterEntry(plain.Id), RosterEntry.Self], Advisor = "scripted/advisor", AdvisorPosition = 0 }), None);
        Assert.True(coordinator.IsSuccess);
        Assert.Equal([new RosterEntry(plain.Id, 1), RosterEntry.Self], coordinator.Value.Multiagent?.PredefinedAgents);
    }

    [Fact]
    public async Task An_advisor_needs_a_model_Lucid_resolves_and_no_custom_tool_of_its_name()
    {
        await using var store = new InMemoryStore();
        var agents = new AgentService(store, store);
        var models = new Lucid.Testing.Models.ScriptedModels().With("scripted/advisor", new Lucid.Testing.Models.ScriptedChatClient());

        Assert.Null(MultiagentRules.CheckAdvisorModel(models, new MultiagentConfig { Advisor = "scripted/advisor" }));
        var unknown = MultiagentRules.CheckAdvisorModel(models, new MultiagentConfig { Advisor = "scripted/nowhere" });
        Assert.Equal("multiagent.advisor.model", unknown?.Field);
        Assert.Equal("multiagent.agents[3].model", MultiagentRules.CheckAdvisorModel(models, new MultiagentConfig { Coordinator = true, Advisor = "nowhere", AdvisorPosition = 3 })?.Field);

        var shadowed = Lead(new MultiagentConfig { Advisor = "scripted/advisor" }) with
        {
            Tools = [new AgentToolset(), new CustomToolDefinition { Name = "advisor", Description = "Mine.", InputSchema = System.Text.Json.JsonDocument.Parse("{\"type\":\"object\"}").RootElement }],
        };
        AssertInvalid(await agents.CreateAsync(Workspaces.Default, shadowed, None), "tools[1].name", "advisor's tool");
    }
}
