using Anthropic.Exceptions;
using Anthropic.Models.Beta.Agents;

namespace Lucid.Conformance.Tests;

[Collection(ServerTestGroup.Name)]
public sealed class AgentConformanceTests(LucidServerFixture server)
{
    [Fact]
    public async Task Agent_create_update_and_versions_round_trip_through_the_sdk()
    {
        var client = server.Alpha;

        var created = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "researcher",
            Model = LucidServerFixture.ModelParam,
            System = "Be precise.",
            Description = "Finds things out",
            Metadata = new Dictionary<string, string> { ["team"] = "core" },
            Tools =
            [
                new BetaManagedAgentsAgentToolset20260401Params
                {
                    DefaultConfig = new BetaManagedAgentsAgentToolsetDefaultConfigParams { PermissionPolicy = new BetaManagedAgentsAlwaysAskPolicy() },
                    Configs = [new BetaManagedAgentsReadToolConfigParams { PermissionPolicy = new BetaManagedAgentsAlwaysAllowPolicy() }],
                },
            ],
        });
        var updated = await client.Beta.Agents.Update(created.ID, new AgentUpdateParams { Version = created.Version, System = "Be thorough.", Metadata = new Dictionary<string, string?> { ["team"] = null, ["owner"] = "ana" } });
        var versions = await client.Beta.Agents.Versions.List(created.ID);
        var retrieved = await client.Beta.Agents.Retrieve(created.ID);
        var first = await client.Beta.Agents.Retrieve(created.ID, new AgentRetrieveParams { Version = 1 });

        Assert.StartsWith("agent_", created.ID, StringComparison.Ordinal);
        Assert.Equal(1, created.Version);
        Assert.Equal(LucidServerFixture.Model, created.Model.ID);
        Assert.Equal(2, updated.Version);
        Assert.Equal("Be thorough.", updated.System);
        Assert.Equal("ana", updated.Metadata["owner"]);
        Assert.False(updated.Metadata.ContainsKey("team"));
        Assert.Equal([2, 1], versions.Items.Select(v => v.Version));
        Assert.Equal(2, retrieved.Version);
        Assert.Equal("Be precise.", first.System);
        Assert.Equal("Finds things out", first.Description);
        created.Validate();
        updated.Validate();
        versions.Items.ToList().ForEach(v => v.Validate());
    }

    [Fact]
    public async Task Agents_are_filtered_by_creation_time()
    {
        var client = server.Alpha;
        var first = await client.Beta.Agents.Create(new AgentCreateParams { Name = "early", Model = LucidServerFixture.ModelParam });
        var second = await client.Beta.Agents.Create(new AgentCreateParams { Name = "late", Model = LucidServerFixture.ModelParam });
        Assert.True(second.CreatedAt > first.CreatedAt);

        var fromSecond = (await client.Beta.Agents.List(new AgentListParams { CreatedAtGte = second.CreatedAt, Limit = 100 })).Items.Select(a => a.ID).ToList();
        var untilFirst = (await client.Beta.Agents.List(new AgentListParams { CreatedAtLte = first.CreatedAt, Limit = 100 })).Items.Select(a => a.ID).ToList();

        Assert.Contains(second.ID, fromSecond);
        Assert.DoesNotContain(first.ID, fromSecond);
        Assert.Contains(first.ID, untilFirst);
        Assert.DoesNotContain(second.ID, untilFirst);
    }

    [Fact]
    public async Task Updating_with_a_stale_version_is_a_409()
    {
        var created = await server.Alpha.Beta.Agents.Create(new AgentCreateParams { Name = "stale", Model = LucidServerFixture.ModelParam });
        await server.Alpha.Beta.Agents.Update(created.ID, new AgentUpdateParams { Version = 1, System = "v2" });

        var ex = await Assert.ThrowsAsync<AnthropicConflictException>(() => server.Alpha.Beta.Agents.Update(created.ID, new AgentUpdateParams { Version = 1, System = "v2 again" }));

        Assert.Contains("version 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Archived_agents_leave_the_default_list()
    {
        var created = await server.Alpha.Beta.Agents.Create(new AgentCreateParams { Name = "archivable", Model = LucidServerFixture.ModelParam });

        var archived = await server.Alpha.Beta.Agents.Archive(created.ID);
        var visible = await server.Alpha.Beta.Agents.List(new AgentListParams { Limit = 100 });
        var all = await server.Alpha.Beta.Agents.List(new AgentListParams { Limit = 100, IncludeArchived = true });

        Assert.NotNull(archived.ArchivedAt);
        Assert.DoesNotContain(visible.Items, a => a.ID == created.ID);
        Assert.Contains(all.Items, a => a.ID == created.ID);
    }
}
