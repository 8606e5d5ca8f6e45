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
/// request so tests can check what the model was shown. A request with no step left fails the test loudly.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly ConcurrentQueue<Func<ScriptedRequest, CancellationToken, Task<ChatResponse>>> _steps = new();
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
        _steps.Enqueue(step);
        return this;
    }

    /// <summary>A response holding one assistant message, with the default usage.</summary>
    public ChatResponse Response(ChatMessage message) => new(message) { Usage = DefaultUsage, FinishReason = ChatFinishReason.Stop };

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = new ScriptedRequest([.. messages.Select(m => m.Clone())], options);
        _requests.Enqueue(request);
        return _steps.TryDequeue(out var step)
            ? step(request, cancellationToken)
            : throw new InvalidOperationException($"The scripted model got request #{_requests.Count} but its script has no step left. Last message: {(request.Messages.Count > 0 ? request.Messages[^1].Text : "")}");
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
