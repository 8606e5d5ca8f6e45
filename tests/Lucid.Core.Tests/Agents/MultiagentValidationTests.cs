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
}
