using Anthropic.Exceptions;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Deployments;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;

namespace Lucid.Conformance.Tests;

[Collection(ServerTestGroup.Name)]
public sealed class EnvironmentDeleteConformanceTests(LucidServerFixture server)
{
    [Fact]
    public async Task An_environment_is_deleted_only_once_no_unarchived_session_or_deployment_uses_it()
    {
        var client = server.Alpha;
        var agent = await client.Beta.Agents.Create(new AgentCreateParams { Name = "user", Model = LucidServerFixture.ModelParam });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "to delete" });
        var session = await client.Beta.Sessions.Create(new SessionCreateParams { Agent = agent.ID, EnvironmentID = environment.ID });
        var deployment = await client.Beta.Deployments.Create(new DeploymentCreateParams
        {
            Name = "nightly", Agent = agent.ID, EnvironmentID = environment.ID,
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = "Go." }] }],
        });

        var usedBySession = await Assert.ThrowsAsync<AnthropicConflictException>(() => client.Beta.Environments.Delete(environment.ID));
        Assert.Contains(environment.ID, usedBySession.Message, StringComparison.Ordinal);
        await client.Beta.Sessions.Archive(session.ID);
        await Assert.ThrowsAsync<AnthropicConflictException>(() => client.Beta.Environments.Delete(environment.ID));
        await client.Beta.Deployments.Archive(deployment.ID);
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => server.Beta.Beta.Environments.Delete(environment.ID));

        var deleted = await client.Beta.Environments.Delete(environment.ID);

        deleted.Validate();
        Assert.Equal(environment.ID, deleted.ID);
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => client.Beta.Environments.Retrieve(environment.ID));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => client.Beta.Environments.Delete(environment.ID));
        // The archived session still reads, naming the environment it ran in.
        Assert.Equal(environment.ID, (await client.Beta.Sessions.Retrieve(session.ID)).EnvironmentID);
    }
}
