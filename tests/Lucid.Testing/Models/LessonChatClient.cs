using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Lucid.Testing.Models;

/// <summary>
/// An instant model whose success depends on its context, for evals. As the worker, on a prompt "Task ID: …" it knows the
/// answer only from a memory holding that task's lesson ("The code word for ID is CODE."): when its system prompt shows
/// a mounted store it reads <c>lessons/ID.md</c> there, then answers with the code word it found, or says it does not know.
/// As the grader (asked for JSON), it is satisfied when the deliverable repeats the code word the rubric names
/// ("… the code word CODE."). It reports a token for every four characters it reads and writes, so a longer context
/// costs more. It keeps no state, so any number of sessions can use it at once.
/// </summary>
public sealed partial class LessonChatClient : IChatClient
{
    private int _requests;

    /// <summary>How many requests it has answered.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The lesson a memory holds for a task, which the worker needs to pass it.</summary>
    public static string Lesson(string taskId, string code) => $"The code word for {taskId} is {code}.\n";

    /// <summary>The rubric a task is graded against.</summary>
    public static string Rubric(string code) => $"The reply names the code word {code}.";

    /// <summary>The prompt of a task.</summary>
    public static string Prompt(string taskId) => $"Task {taskId}: what is the code word?";

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _requests);
        var list = messages.ToList();
        var reply = options?.ResponseFormat is ChatResponseFormatJson ? Grade(list) : Work(list);
        var usage = new UsageDetails { InputTokenCount = Tokens(list), OutputTokenCount = Tokens([reply]) };
        return Task.FromResult(new ChatResponse(reply) { Usage = usage, FinishReason = ChatFinishReason.Stop });
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
    }

    private static long Tokens(List<ChatMessage> messages) =>
        1 + (messages.SelectMany(m => m.Contents).Sum(c => c switch
        {
            TextContent t => t.Text.Length,
            FunctionCallContent call => call.Name.Length + (call.Arguments?.Sum(a => a.Key.Length + (a.Value?.ToString()?.Length ?? 0)) ?? 0),
            FunctionResultContent result => result.Result?.ToString()?.Length ?? 0,
            _ => 0,
        }) / 4);

    private static ChatMessage Work(List<ChatMessage> messages)
    {
        var results = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.Result?.ToString() ?? "").ToList();
        if (results.Count > 0)
        {
            return new ChatMessage(ChatRole.Assistant, results.Select(r => LessonCode().Match(r)).FirstOrDefault(m => m.Success) is { } found
                ? $"The code word is {found.Groups[1].Value}."
                : "I do not know the code word.");
        }

        var task = messages.Where(m => m.Role == ChatRole.User).Select(m => TaskId().Match(m.Text)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        var system = string.Join("\n", messages.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
        var mount = MountPath().Match(system);
        return task is not null && mount.Success
            ? ScriptedChatClient.ToolCalls(null, ("read", new { file_path = $"{mount.Groups[1].Value}/lessons/{task}.md" }))
            : new ChatMessage(ChatRole.Assistant, "I do not know the code word.");
    }

    private static ChatMessage Grade(List<ChatMessage> messages)
    {
        var text = string.Join("\n", messages.Select(m => m.Text));
        var code = RubricCode().Match(text).Groups[1].Value;
        var met = code.Length > 0 && Regex.Count(text, Regex.Escape(code)) >= 2;
        var verdict = met ? "satisfied" : "needs_revision";
        return new ChatMessage(ChatRole.Assistant, $$"""{"findings":[{"criterion":"names the code word","evidence":"{{(met ? "named" : "not named")}}","met":{{(met ? "true" : "false")}},"fix":"{{(met ? "" : "Name the code word.")}}"}],"explanation":"{{verdict}}","verdict":"{{verdict}}"}""");
    }

    [GeneratedRegex(@"^## (/mnt/memory/\S+) \(", RegexOptions.Multiline)]
    private static partial Regex MountPath();

    [GeneratedRegex(@"Task ([A-Za-z0-9._-]+):")]
    private static partial Regex TaskId();

    [GeneratedRegex(@"The code word for \S+ is ([A-Z0-9-]+)\.")]
    private static partial Regex LessonCode();

    [GeneratedRegex(@"names the code word ([A-Z0-9-]+)\.")]
    private static partial Regex RubricCode();
}
