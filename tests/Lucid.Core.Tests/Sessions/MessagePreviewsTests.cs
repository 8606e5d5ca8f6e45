using Lucid.Events;
using Lucid.Testing.Models;
using Lucid.Testing.Sessions;
using Microsoft.Extensions.AI;

namespace Lucid.Core.Tests.Sessions;

public sealed class MessagePreviewsTests
{
    private static readonly HashSet<string> Messages = ["agent.message"];

    // Follows the session's log with previews, from now until its next idle; the subscription is live when this returns.
    private static async Task<Task<List<LogStreamItem>>> WatchAsync(SessionHarness h)
    {
        var after = (await h.LogAsync()).Count;
        var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var items = h.Engine.Events.SubscribeWithPreviewsAsync(LogId.Of(h.Session.Id), after, Messages, timeout.Token).GetAsyncEnumerator(timeout.Token);
        var first = items.MoveNextAsync();
        return Collect();

        async Task<List<LogStreamItem>> Collect()
        {
            var seen = new List<LogStreamItem>();
            for (var more = await first; more; more = await items.MoveNextAsync())
            {
                seen.Add(items.Current);
                if (items.Current.Committed?.Event is SessionStatusIdleEvent)
                {
                    break;
                }
            }

            await items.DisposeAsync();
            timeout.Dispose();
            return seen;
        }
    }

    private static string Text(IEnumerable<LogStreamItem> items, string eventId) =>
        string.Concat(items.Select(i => i.Preview).OfType<EventPreviewDelta>().Where(d => d.EventId == eventId).Select(d => d.Text));

    [Fact]
    public async Task Each_run_of_text_is_previewed_under_the_id_its_message_is_committed_with()
    {
        await using var h = await SessionHarness.StartAsync();
        // Text, a tool call and more text in one response are two messages around the call.
        var first = ScriptedChatClient.ToolCalls("Let me check the notes.", ("glob", new { pattern = "*.md" }));
        first.Contents.Add(new TextContent("Checking now."));
        h.Model.Then((_, _) => Task.FromResult(h.Model.Response(first))).Reply("There are no notes yet.");
        var watching = await WatchAsync(h);

        await h.RunTurnAsync("any notes?");
        var items = await watching;

        var messages = items.Select(i => i.Committed?.Event).OfType<AgentMessageEvent>().ToList();
        var starts = items.Select(i => i.Preview).OfType<EventPreviewStart>().ToList();
        Assert.Equal(messages.Select(m => m.Id), starts.Select(s => s.EventId));
        Assert.All(starts, s => Assert.Equal("agent.message", s.EventType));
        Assert.Equal("Let me check the notes.", Text(items, messages[0].Id));
        Assert.Equal("Checking now.", Text(items, messages[1].Id));
        Assert.Equal("There are no notes yet.", Text(items, messages[2].Id));
        Assert.True(items.Select(i => i.Preview).OfType<EventPreviewDelta>().Count() > 2);
        // Every delta of a message comes before it.
        Assert.All(messages, m => Assert.True(
            items.FindLastIndex(i => i.Preview?.EventId == m.Id) < items.FindIndex(i => i.Committed?.Event.Id == m.Id)));
    }

    [Fact]
    public async Task A_model_that_cannot_stream_answers_whole_and_nothing_is_previewed()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Models.With(SessionHarness.ModelName, new CannotStream(h.Model));
        h.Model.Reply("A whole answer.");
        var watching = await WatchAsync(h);

        var events = await h.RunTurnAsync("hi");
        var items = await watching;

        Assert.Equal(
            ["session.status_running", "span.model_request_start", "span.model_request_end", "agent.message", "session.usage", "session.status_idle"],
            events.Select(e => e.Event.Type));
        Assert.Equal("A whole answer.", ((TextBlock)((AgentMessageEvent)events[3].Event).Content[0]).Text);
        Assert.DoesNotContain(items, i => i.Preview is not null);
        Assert.False(((SpanModelRequestEndEvent)events[2].Event).IsError);
        Assert.Single(h.Model.Requests);
    }

    // A provider whose client only answers whole.
    private sealed class CannotStream(ScriptedChatClient inner) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            inner.GetResponseAsync(messages, options, cancellationToken);

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("This client does not stream.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
