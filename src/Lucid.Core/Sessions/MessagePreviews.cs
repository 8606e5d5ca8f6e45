using Lucid.Events;
using Lucid.Ids;
using Microsoft.Extensions.AI;

namespace Lucid.Sessions;

/// <summary>
/// Previews the <c>agent.message</c> events of one streamed model response while it arrives. The text of a response
/// becomes one message per run of text between reasoning and tool calls (<see cref="ModelResponseEvents"/>), so each
/// run is one preview: an ID is chosen when the run starts, every fragment goes out as a delta, and the committed
/// message takes the same ID (<see cref="MessageIds"/>). A run nobody watches when it starts gets no ID and no preview,
/// so an unwatched session streams nothing and commits exactly what it did without previews.
/// </summary>
internal sealed class MessagePreviews(EventHub hub, LogId logId, IdGenerator ids)
{
    private const string MessageType = "agent.message";

    private readonly List<string?> _messageIds = [];
    private bool _inRun;

    /// <summary>The ID of each run's message, in order; null for a run that was not previewed.</summary>
    public IReadOnlyList<string?> MessageIds => _messageIds;

    /// <summary>Asks the model for a streamed response, previewing it as it arrives, and assembles the whole response.</summary>
    public async Task<ChatResponse> StreamAsync(IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            Observe(update);
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    /// <summary>Previews what an update adds, unless it is a whole response that a provider could not stream.</summary>
    private void Observe(ChatResponseUpdate update)
    {
        if (update.Role is { } role && role != ChatRole.Assistant)
        {
            return;
        }

        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextContent { Text.Length: > 0 } text:
                    Add(text.Text, StreamingFallbackChatClient.IsWholeResponse(update));
                    break;
                case TextReasoningContent { Text.Length: > 0 } or FunctionCallContent:
                    _inRun = false;
                    break;
            }
        }
    }

    private void Add(string text, bool whole)
    {
        if (!_inRun)
        {
            _inRun = true;
            var id = !whole && hub.IsPreviewed(logId, MessageType) ? ids.NewId(IdPrefixes.Event) : null;
            _messageIds.Add(id);
            if (id is not null)
            {
                hub.Preview(logId, new EventPreviewStart(id, MessageType));
            }
        }

        if (_messageIds[^1] is { } current)
        {
            hub.Preview(logId, new EventPreviewDelta(current, 0, text));
        }
    }
}
