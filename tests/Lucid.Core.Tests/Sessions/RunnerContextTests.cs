using Lucid.Events;
using Lucid.Sessions;
using Lucid.Testing.Sessions;
using Microsoft.Extensions.AI;

namespace Lucid.Core.Tests.Sessions;

public sealed class RunnerContextTests
{
    private static readonly AsyncLocal<string?> RequestScope = new();

    [Fact]
    public async Task A_runner_does_not_carry_the_execution_context_of_the_request_that_started_it()
    {
        await using var h = await SessionHarness.StartAsync();
        string? seenByModel = "not called";
        h.Model.Then((_, _) =>
        {
            seenByModel = RequestScope.Value;
            return Task.FromResult(h.Model.Response(new ChatMessage(ChatRole.Assistant, "Done.")));
        });

        // As a request's trace activity and log scopes would be: ambient state of the caller whose request starts the runner.
        RequestScope.Value = "the creating request";
        var created = await h.Sessions.CreateAsync(
            Workspaces.Default,
            new SessionDefinition { AgentId = h.Agent.Id, EnvironmentId = h.Session.EnvironmentId, InitialEvents = [SessionHarness.Message("hello")] },
            CancellationToken.None);
        RequestScope.Value = null;
        Assert.True(created.IsSuccess);
        await h.FollowAsync(created.Value.Id, 0, events => events[^1].Event is SessionStatusIdleEvent);

        Assert.Null(seenByModel);
    }
}
