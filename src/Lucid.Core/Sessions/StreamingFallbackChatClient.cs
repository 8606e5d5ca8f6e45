using Microsoft.Extensions.AI;

namespace Lucid.Sessions;

/// <summary>
/// Lets the engine stream from every provider: one whose client cannot stream (it throws
/// <see cref="NotSupportedException"/> before its first update) is asked for the whole response instead, from then on,
/// and that response comes back as updates marked whole, which nobody previews.
/// </summary>
internal sealed class StreamingFallbackChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    private const string WholeResponseKey = "lucid.whole_response";
    private volatile bool _cannotStream;

    /// <summary>Whether an update is part of a response that came whole, not streamed.</summary>
    public static bool IsWholeResponse(ChatResponseUpdate update) =>
        update.AdditionalProperties?.ContainsKey(WholeResponseKey) == true;

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!_cannotStream)
        {
            IAsyncEnumerator<ChatResponseUpdate>? updates = null;
            try
            {
                bool more;
                try
                {
                    updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
                    more = await updates.MoveNextAsync();
                }
                catch (NotSupportedException)
                {
                    _cannotStream = true;
                    more = false;
                }

                for (; more && updates is not null; more = await updates.MoveNextAsync())
                {
                    yield return updates.Current;
                }
            }
            finally
            {
                if (updates is not null)
                {
                    await updates.DisposeAsync();
                }
            }

            if (!_cannotStream)
            {
                yield break;
            }
        }

        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            (update.AdditionalProperties ??= [])[WholeResponseKey] = true;
            yield return update;
        }
    }
}
