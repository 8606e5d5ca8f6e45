using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Lucid.Testing.Models;

/// <summary>
/// An instant model for tasks whose answer is a code word. As the grader (asked for JSON) it is satisfied when the
/// deliverable names the code word the rubric names ("… names the code word CODE."); as the worker it answers as the
/// subclass decides, from what its context holds. It keeps no state but a request count, so any number of sessions can
/// use it at once.
/// </summary>
public abstract partial class CodeWordChatClient : IChatClient
{
    private int _requests;

    /// <summary>How many requests it has answered.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _requests);
        var list = messages.ToList();
        var reply = options?.ResponseFormat is ChatResponseFormatJson ? Grade(list) : Work(list);
        return Task.FromResult(new ChatResponse(reply) { Usage = Usage(list, reply), FinishReason = ChatFinishReason.Stop });
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    /// <inheritdoc />
    public void Dispose()
    {
        GC.SuppressFinalize(this);
    }

    /// <summary>The worker's reply to the conversation so far: a tool call, or an answer.</summary>
    protected abstract ChatMessage Work(List<ChatMessage> messages);

    /// <summary>Whether the grader's context (rubric and deliverable, as text) shows the rubric's code word named.</summary>
    protected abstract bool Named(string text, string code);

    /// <summary>The usage a reply reports.</summary>
    protected virtual UsageDetails Usage(List<ChatMessage> messages, ChatMessage reply) => new() { InputTokenCount = 10, OutputTokenCount = 5 };

    /// <summary>The worker's final answer: the code word, or that it does not know one.</summary>
    protected static ChatMessage Answer(string? code) => new(ChatRole.Assistant, code is null ? "I do not know the code word." : $"The code word is {code}.");

    /// <summary>The task ID a "Task ID: …" user message names, if any.</summary>
    protected static string? TaskOf(List<ChatMessage> messages) =>
        messages.Where(m => m.Role == ChatRole.User).Select(m => TaskId().Match(m.Text)).FirstOrDefault(m => m.Success)?.Groups[1].Value;

    private ChatMessage Grade(List<ChatMessage> messages)
    {
        var text = string.Join("\n", messages.Select(m => m.Text));
        var code = RubricCode().Match(text).Groups[1].Value;
        var met = code.Length > 0 && Named(text, code);
        var verdict = met ? "satisfied" : "needs_revision";
        return new ChatMessage(ChatRole.Assistant, $$"""{"findings":[{"criterion":"names the code word","evidence":"{{(met ? "named" : "not named")}}","met":{{(met ? "true" : "false")}},"fix":"{{(met ? "" : "Name the code word.")}}"}],"explanation":"{{verdict}}","verdict":"{{verdict}}"}""");
    }

    [GeneratedRegex(@"Task ([A-Za-z0-9._-]+):")]
    private static partial Regex TaskId();

    [GeneratedRegex(@"names the code word ([A-Z0-9-]+)\.")]
    private static partial Regex RubricCode();
}
