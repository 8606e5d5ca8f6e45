using Lucid.Events;
using Lucid.Testing.Sessions;
using Microsoft.Extensions.AI;

namespace Lucid.Core.Tests.Sessions;

public sealed class SystemMessageTests
{
    private static SystemMessageEvent System(string text) => new() { Content = [new TextBlock(text)] };

    [Fact]
    public async Task A_system_message_after_a_user_message_is_a_system_turn_for_that_turn_and_the_next()
    {
        await using var h = await SessionHarness.StartAsync(system: "You are terse.");
        h.Model.Reply("Bonjour.").Reply("Au revoir.");

        var sent = await h.SendAsync(SessionHarness.Message("Greet me."), System("Answer in French from now on."));
        await h.WaitForIdleAsync(sent[^1].Sequence);
        await h.RunTurnAsync("Say goodbye.");

        var first = h.Model.Requests[0].Messages;
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.System], first.Select(m => m.Role));
        Assert.Equal(("You are terse.", "Answer in French from now on."), (first[0].Text, first[2].Text));
        var second = h.Model.Requests[1].Messages;
        Assert.Equal("Answer in French from now on.", second[2].Text);
        Assert.Equal(ChatRole.User, second[^1].Role);
        Assert.IsType<SystemMessageEvent>((await h.LogAsync()).Single(e => e.Event is SystemMessageEvent).Event);
    }

    [Fact]
    public async Task A_system_message_that_is_not_last_or_not_after_a_user_message_is_refused_and_nothing_is_logged()
    {
        await using var h = await SessionHarness.StartAsync();
        var before = (await h.LogAsync()).Count;

        async Task<string?> Refused(params SessionEvent[] inputs) =>
            (await h.Sessions.SendAsync(Workspaces.Default, h.Session.Id, inputs, CancellationToken.None)).Error?.Message;

        Assert.Contains("must be the last event", await Refused(System("alone")), StringComparison.Ordinal);
        Assert.Contains("must be the last event", await Refused(SessionHarness.Message("hi"), System("first"), System("second")), StringComparison.Ordinal);
        Assert.Contains("must be the last event", await Refused(System("before"), SessionHarness.Message("hi")), StringComparison.Ordinal);
        Assert.Contains("non-empty text block", await Refused(SessionHarness.Message("hi"), System("")), StringComparison.Ordinal);
        Assert.Equal(before, (await h.LogAsync()).Count);
    }
}
