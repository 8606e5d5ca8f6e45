using System.Net.Http.Json;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Testing.Providers;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace Lucid.Cluster.Tests.Sessions;

public sealed class GracefulStopTests
{
    [Fact]
    public async Task A_node_stopped_during_a_turn_finishes_it_then_hands_the_session_over_without_a_reschedule()
    {
        var database = await TestNodes.DatabaseAsync();
        var a = await TestNodes.StartAsync(database);
        await using var b = await TestNodes.StartAsync(database);
        await TestNodes.WaitForMembershipAsync(b, snapshot => TestNodes.Active(snapshot) == 2);
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Upstream.Then(async (request, response) =>
        {
            asked.TrySetResult();
            // The model answers only once A has been told to stop: the turn is under way when the stop begins.
            await stopping.Task;
            await FakeAnthropicServer.WriteTextAsync(request, response, "finished on the stopping node");
        });
        b.Upstream.ReplyText("answered on the survivor");
        var sessionId = await SessionsOnNodes.CreateAsync(a);
        (await a.Http(a.AlphaKey).PostAsJsonAsync($"/v1/sessions/{sessionId}/events", SessionsOnNodes.Message("slow"))).EnsureSuccessStatusCode();
        await asked.Task.WaitAsync(TestNodes.Patience);
        var leaving = a.Service<ILocalSiloDetails>().SiloAddress;
        a.Service<IHostApplicationLifetime>().ApplicationStopping.Register(stopping.SetResult);

        await a.DisposeAsync();
        var afterStop = await SessionsOnNodes.LogAsync(b, sessionId);

        // The stopping node finished its turn before it left: the session was idle, nothing to reschedule.
        Assert.IsType<SessionStatusIdleEvent>(afterStop[^1].Event);
        Assert.Contains(afterStop, e => e.Event is AgentMessageEvent);
        await TestNodes.WaitForMembershipAsync(b, snapshot => snapshot.GetSiloStatus(leaving) == SiloStatus.Dead);
        // The stream replays the log from its start: the first idle is the stopping node's turn, the second this one's.
        var idle = SessionsOnNodes.WaitForIdlesAsync(b, sessionId, count: 2);
        (await b.Http(b.AlphaKey).PostAsJsonAsync($"/v1/sessions/{sessionId}/events", SessionsOnNodes.Message("next"))).EnsureSuccessStatusCode();
        await idle;

        var log = await SessionsOnNodes.LogAsync(b, sessionId);
        Assert.DoesNotContain(log, e => e.Event is SessionStatusRescheduledEvent);
        Assert.Single(a.Upstream.Requests);
        Assert.Single(b.Upstream.Requests);
        Assert.True(b.Service<SessionEngine>().Runs(sessionId));
        Assert.Equal(Enumerable.Range(1, log.Count).Select(n => (long)n), log.Select(e => e.Sequence));
    }
}
