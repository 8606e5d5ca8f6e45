using Lucid.Events;
using Lucid.Sessions;
using Lucid.Testing.Sessions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Lucid.Core.Tests.Sessions;

public sealed class RunnerRetirementTests
{
    [Fact]
    public async Task An_idle_runner_retires_and_the_next_message_starts_a_new_one_with_the_same_history()
    {
        await using var h = await SessionHarness.StartAsync(options: new SessionEngineOptions { RunnerIdleTimeout = TimeSpan.FromMilliseconds(20) });
        h.Model.Reply("first").Reply("second");
        var retired = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Engine.Runners.RunnerRetired += id => retired.TrySetResult(id);

        await h.RunTurnAsync("one");
        Assert.Equal(h.Session.Id, await retired.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, h.Engine.Runners.Count);
        var second = await h.RunTurnAsync("two");

        Assert.Equal("second", second.Select(e => e.Event).OfType<AgentMessageEvent>().Single().Content.OfType<TextBlock>().Single().Text);
        Assert.Equal(["one", "first", "two"], h.Model.Requests[1].Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task Inputs_racing_a_retiring_runner_are_never_lost()
    {
        await using var h = await SessionHarness.StartAsync(options: new SessionEngineOptions { RunnerIdleTimeout = TimeSpan.FromMilliseconds(1) });
        for (var i = 0; i < 30; i++)
        {
            h.Model.Reply($"answer {i}");
        }

        for (var i = 0; i < 30; i++)
        {
            var events = await h.RunTurnAsync($"question {i}");
            Assert.Contains(events, e => e.Event is AgentMessageEvent);
        }

        Assert.Equal(30, h.Model.Requests.Count);
    }

    [Fact]
    public async Task A_runner_in_a_long_turn_is_not_retired_and_retires_once_idle_for_the_timeout()
    {
        var time = new FakeTimeProvider();
        await using var h = await SessionHarness.StartAsync(options: new SessionEngineOptions { RunnerIdleTimeout = TimeSpan.FromMinutes(1) }, time: time);
        var retired = 0;
        h.Engine.Runners.RunnerRetired += _ => Interlocked.Increment(ref retired);
        var modelCalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Model.Then(async (_, _) =>
        {
            modelCalled.SetResult();
            await release.Task;
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "done"));
        });

        var sent = await h.SayAsync("take your time");
        await modelCalled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, Volatile.Read(ref retired));
        Assert.Equal(1, h.Engine.Runners.Count);

        release.SetResult();
        await h.WaitForIdleAsync(sent[^1].Sequence);
        var runner = h.Engine.Runners.Of(LogId.Of(h.Session.Id));
        Assert.True(SpinWait.SpinUntil(() => runner.IsWaiting, TimeSpan.FromSeconds(30)));
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, Volatile.Read(ref retired));
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, Volatile.Read(ref retired));
        Assert.Equal(0, h.Engine.Runners.Count);
    }
}
