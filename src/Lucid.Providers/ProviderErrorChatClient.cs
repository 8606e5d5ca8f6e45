using System.ClientModel;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Anthropic.Exceptions;
using Lucid.Models;
using Microsoft.Extensions.AI;
using OllamaSharp.Models.Exceptions;
using Polly.Timeout;

namespace Lucid.Providers;

/// <summary>
/// Translates what each SDK throws once its retries are spent into one <see cref="ModelRequestException"/>, so the engine
/// records the right <c>session.error</c> without knowing any SDK. Cancellation by the caller passes through untouched.
/// </summary>
/// <remarks>
/// A reply that arrives but cannot be read (malformed JSON) gets past the HTTP retry layer, so it is retried here, as
/// many times as the HTTP layer retries; a streamed one only while nothing of it has come through.
/// </remarks>
internal sealed class ProviderErrorChatClient(IChatClient inner, string provider, int maxRetries) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var history = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await base.GetResponseAsync(history, options, cancellationToken);
            }
            catch (Exception ex) when (IsMalformedReply(ex) && attempt < maxRetries)
            {
                // Try again: the provider answered, but not with anything readable.
            }
            catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
            {
                throw translated;
            }
        }
    }

    private static bool IsMalformedReply(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is JsonException or AnthropicInvalidDataException)
            {
                return true;
            }
        }

        return false;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var history = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        for (var attempt = 0; ; attempt++)
        {
            await using var updates = base.GetStreamingResponseAsync(history, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            var streamed = false;
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync())
                    {
                        // A reply the SDK could read no event from (not server-sent events at all) ends with nothing.
                        if (streamed)
                        {
                            yield break;
                        }

                        throw new JsonException("the streamed reply held no event that could be read");
                    }

                    update = updates.Current;
                }
                catch (Exception ex) when (!streamed && IsMalformedReply(ex) && attempt < maxRetries)
                {
                    // Nothing came through yet, so the request is tried again as a whole reply would be.
                    break;
                }
                catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
                {
                    throw translated;
                }

                streamed = true;
                yield return update;
            }
        }
    }

    private ModelRequestException? Translate(Exception ex, CancellationToken cancellationToken)
    {
        if (ex is ModelRequestException || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return null;
        }

        var (status, detail) = ex switch
        {
            AnthropicApiException api => ((int?)api.StatusCode, api.ApiMessage ?? api.Message),
            ClientResultException result => (result.Status == 0 ? null : result.Status, result.Message),
            HttpRequestException http => ((int?)http.StatusCode, http.Message),
            ResponseError ollama => (null, ollama.Message),
            TimeoutRejectedException or OperationCanceledException => (null, "the request timed out"),
            JsonException json => (null, $"the reply was not valid JSON: {json.Message}"),
            _ when IsMalformedReply(ex) => (null, $"the reply could not be read: {ex.Message}"),
            AnthropicException or OllamaException => (null, ex.Message),
            _ => ((int?)null, (string?)null),
        };
        if (detail is null)
        {
            return null;
        }

        int? window = null;
        var kind = status switch
        {
            (int)HttpStatusCode.TooManyRequests => ModelErrorKind.RateLimited,
            529 or (int)HttpStatusCode.ServiceUnavailable => ModelErrorKind.Overloaded,
            null or 400 or 413 or 500 when ContextTooLong.Matches(detail, out window) => ModelErrorKind.ContextTooLong,
            _ => ModelErrorKind.RequestFailed,
        };
        var statusText = status is { } s ? $" (HTTP {s})" : "";
        return new ModelRequestException(kind, $"{provider} request failed{statusText}: {detail}", status, ex) { ContextWindow = window };
    }
}
