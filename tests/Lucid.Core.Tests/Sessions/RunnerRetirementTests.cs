using Lucid.Events;
using Lucid.Sessions;
using Lucid.Testing.Sessions;

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
}
