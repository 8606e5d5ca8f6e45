using Lucid.Events;
using Lucid.Testing.Sessions;

namespace Lucid.Core.Tests.Sessions;

public sealed class ResendTests
{
    private static UserMessageEvent Message(string id, string text) => SessionHarness.Message(text) with { Id = id };

    private static (long, string)[] Ids(IEnumerable<LoggedEvent> events) => [.. events.Select(e => (e.Sequence, e.Event.Id))];

    [Fact]
    public async Task ResendAsync_of_events_the_first_send_committed_answers_them_and_commits_nothing()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.Reply("Hello.");
        var message = Message("sevt_resent0000000000000001", "hi");
        var first = await h.Sessions.SendAsync(h.Session.WorkspaceId, h.Session.Id, [message], CancellationToken.None);
        Assert.True(first.IsSuccess);
        await h.WaitForIdleAsync(first.Value[0].Sequence);
        var before = await h.LogAsync();

        var resent = await h.Sessions.ResendAsync(h.Session.WorkspaceId, h.Session.Id, [message], CancellationToken.None);
        Assert.True(resent.IsSuccess);

        Assert.Equal(Ids(first.Value), Ids(resent.Value));
        Assert.Equal(Ids(before), Ids(await h.LogAsync()));
        Assert.Single(before, e => e.Event.Id == message.Id);
        Assert.Single(h.Model.Requests);
    }

    [Fact]
    public async Task ResendAsync_of_events_never_committed_sends_them_once()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.Reply("Hello.");
        var message = Message("sevt_resent0000000000000002", "hi");

        var resent = await h.Sessions.ResendAsync(h.Session.WorkspaceId, h.Session.Id, [message], CancellationToken.None);
        Assert.True(resent.IsSuccess);
        var turn = await h.WaitForIdleAsync(resent.Value[0].Sequence);

        Assert.Equal(message.Id, Assert.Single(resent.Value).Event.Id);
        Assert.Single(await h.LogAsync(), e => e.Event.Id == message.Id);
        Assert.Contains(turn, e => e.Event is AgentMessageEvent);
    }

    [Fact]
    public async Task ResendAsync_hands_committed_events_nothing_followed_to_the_runner()
    {
        // As an owner that died between committing the input and its runner taking it leaves the log.
        await using var h = await SessionHarness.StartAsync();
        h.Model.Reply("Hello.");
        var message = Message("sevt_resent0000000000000003", "hi") with { ProcessedAt = h.Session.CreatedAt };
        var committed = await h.Store.AppendAsync(h.Session.Id, [message], CancellationToken.None);

        var resent = await h.Sessions.ResendAsync(h.Session.WorkspaceId, h.Session.Id, [message], CancellationToken.None);
        Assert.True(resent.IsSuccess);
        var turn = await h.WaitForIdleAsync(committed[0].Sequence);

        Assert.Equal(Ids(committed), Ids(resent.Value));
        Assert.Single(await h.LogAsync(), e => e.Event.Id == message.Id);
        Assert.Contains(turn, e => e.Event is AgentMessageEvent);
        Assert.Single(h.Model.Requests);
    }
}
