using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Lucid.Testing.Models;

/// <summary>A request the scripted client received: a snapshot of the messages and the options.</summary>
public sealed record ScriptedRequest(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)
{
    /// <summary>All text of the request's messages, one message a line, for assertions.</summary>
    public string AllText => string.Join("\n", Messages.Select(m => $"{m.Role}: {string.Join(" ", m.Contents.Select(Describe))}"));

    private static string Describe(AIContent content) => content switch
    {
        TextContent t => t.Text,
        FunctionCallContent c => $"[call {c.Name} {JsonSerializer.Serialize(c.Arguments)}]",
        FunctionResultContent r => $"[result {r.Result}]",
        _ => $"[{content.GetType().Name}]",
    };
}

/// <summary>
/// A chat client whose replies are scripted per test: each request takes the next step of the script. It records every
/// request so tests can check what the model was shown. A request with no step left fails the test loudly. Asked to
/// stream, it streams the step's response with its text in several updates (one per word), as providers do.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly ConcurrentQueue<(Func<ScriptedRequest, CancellationToken, Task<ChatResponse>> Respond, Func<int, CancellationToken, Task>? BeforeChunk)> _steps = new();
    private readonly ConcurrentQueue<ScriptedRequest> _requests = new();

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<ScriptedRequest> Requests => [.. _requests];

    /// <summary>Usage reported on each scripted reply unless the step sets its own.</summary>
    public UsageDetails DefaultUsage { get; init; } = new() { InputTokenCount = 10, OutputTokenCount = 5 };

    /// <summary>Adds a step that answers with text and ends the turn.</summary>
    public ScriptedChatClient Reply(string text) => Then((_, _) => Task.FromResult(Response(new ChatMessage(ChatRole.Assistant, text))));

    /// <summary>Adds a step that calls tools (name and arguments as an anonymous object or dictionary), optionally with text first.</summary>
    public ScriptedChatClient CallTools(string? text, params (string Name, object Arguments)[] calls) =>
        Then((_, _) => Task.FromResult(Response(ToolCalls(text, calls))));

    /// <summary>An assistant message that calls tools (name and arguments as an anonymous object or dictionary), optionally with text first.</summary>
    public static ChatMessage ToolCalls(string? text, params (string Name, object Arguments)[] calls)
    {
        var message = new ChatMessage(ChatRole.Assistant, (IList<AIContent>)[]);
        if (text is not null)
        {
            message.Contents.Add(new TextContent(text));
        }

        foreach (var (name, arguments) in calls)
        {
            var json = JsonSerializer.SerializeToElement(arguments);
            var dictionary = json.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
            message.Contents.Add(new FunctionCallContent($"call_{Guid.NewGuid():N}", name, dictionary));
        }

        return message;
    }

    /// <summary>Adds a step that calls one tool.</summary>
    public ScriptedChatClient CallTool(string name, object arguments) => CallTools(null, (name, arguments));

    /// <summary>Adds a step whose one tool call the model's output limit cut off: finish reason <c>length</c>.</summary>
    public ScriptedChatClient CallToolCutOff(string name, object arguments) =>
        Then((_, _) =>
        {
            var response = Response(ToolCalls(null, (name, arguments)));
            response.FinishReason = ChatFinishReason.Length;
            return Task.FromResult(response);
        });

    /// <summary>Adds a step that throws.</summary>
    public ScriptedChatClient Throw(Exception exception) => Then((_, _) => Task.FromException<ChatResponse>(exception));

    /// <summary>Adds a step computed from the request; it may wait, observe cancellation, or throw.</summary>
    public ScriptedChatClient Then(Func<ScriptedRequest, CancellationToken, Task<ChatResponse>> step)
    {
        _steps.Enqueue((step, null));
        return this;
    }

    /// <summary>
    /// Adds a step that answers with text and ends the turn; streamed, it waits for <paramref name="beforeChunk"/>
    /// (given the chunk's index, from 0) before each text chunk, so a test can act before or during the stream.
    /// </summary>
    public ScriptedChatClient StreamReply(string text, Func<int, CancellationToken, Task> beforeChunk)
    {
        _steps.Enqueue(((_, _) => Task.FromResult(Response(new ChatMessage(ChatRole.Assistant, text))), beforeChunk));
        return this;
    }

    /// <summary>A response holding one assistant message, with the default usage.</summary>
    public ChatResponse Response(ChatMessage message) => new(message) { Usage = DefaultUsage, FinishReason = ChatFinishReason.Stop };

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (request, respond, _) = Next(messages, options);
        return respond(request, cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (request, respond, beforeChunk) = Next(messages, options);
        var response = await respond(request, cancellationToken);
        var chunks = 0;
        foreach (var update in response.ToChatResponseUpdates())
        {
            foreach (var part in Chunked(update))
            {
                if (part.Contents is [TextContent] && beforeChunk is not null)
                {
                    await beforeChunk(chunks++, cancellationToken);
                }

                yield return part;
            }
        }
    }

    private (ScriptedRequest Request, Func<ScriptedRequest, CancellationToken, Task<ChatResponse>> Respond, Func<int, CancellationToken, Task>? BeforeChunk) Next(
        IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var request = new ScriptedRequest([.. messages.Select(m => m.Clone())], options);
        _requests.Enqueue(request);
        return _steps.TryDequeue(out var step)
            ? (request, step.Respond, step.BeforeChunk)
            : throw new InvalidOperationException($"The scripted model got request #{_requests.Count} but its script has no step left. Last message: {(request.Messages.Count > 0 ? request.Messages[^1].Text : "")}");
    }

    // An update split so that each word of its text comes in an update of its own, the other contents in order between.
    private static IEnumerable<ChatResponseUpdate> Chunked(ChatResponseUpdate update)
    {
        var parts = update.Contents
            .SelectMany(c => c is TextContent { Text.Length: > 0 } t
                ? System.Text.RegularExpressions.Regex.Split(t.Text, @"(?<=\s)(?=\S)").Select(w => (AIContent)new TextContent(w))
                : [c])
            .ToList();
        if (parts.Count <= 1)
        {
            yield return update;
            yield break;
        }

        for (var i = 0; i < parts.Count; i++)
        {
            var last = i == parts.Count - 1;
            yield return new ChatResponseUpdate(update.Role, [parts[i]])
            {
                MessageId = update.MessageId,
                ResponseId = update.ResponseId,
                ConversationId = update.ConversationId,
                ModelId = update.ModelId,
                CreatedAt = update.CreatedAt,
                AuthorName = update.AuthorName,
                FinishReason = last ? update.FinishReason : null,
                AdditionalProperties = last ? update.AdditionalProperties : null,
                RawRepresentation = update.RawRepresentation,
            };
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
