using System.Text.RegularExpressions;
using Lucid.Testing.Models;
using Microsoft.Extensions.AI;

namespace Lucid.Core.Tests.Learning;

/// <summary>
/// An instant worker whose success depends on the lessons in its context. On "Task ID: …" it reads every memory its
/// system prompt lists (dream reports aside), then answers with the code word the first rule that applies gives: a rule
/// for every task ("The code word for every task is CODE.") over the task's own lesson ("The code word for ID is
/// CODE.") over the numbering rule (<see cref="NumberingRule"/>: KIWI- and the task's digits); with none it does not
/// know. As the grader (asked for JSON) it is satisfied when the answer ("The code word is CODE.") names the rubric's code.
/// </summary>
internal sealed partial class RuleChatClient : IChatClient
{
    /// <summary>The lesson that holds for every task: its code word is KIWI- and the task's digits.</summary>
    public const string NumberingRule = "The code word of each task is KIWI- and the digits of the task's ID.";

    /// <summary>A rule for every task, which overrides any other lesson the worker reads.</summary>
    public static string EveryTask(string code) => $"The code word for every task is {code}.";

    /// <summary>The code word of task tNNN.</summary>
    public static string Code(string taskId) => $"KIWI-{taskId[1..]}";

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var reply = options?.ResponseFormat is ChatResponseFormatJson ? Grade(list) : Work(list);
        return Task.FromResult(new ChatResponse(reply) { Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5 }, FinishReason = ChatFinishReason.Stop });
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

    private static ChatMessage Work(List<ChatMessage> messages)
    {
        var task = messages.Where(m => m.Role == ChatRole.User).Select(m => TaskId().Match(m.Text)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        var read = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.Result?.ToString() ?? "").ToList();
        if (task is null)
        {
            return Answer(null);
        }

        if (read.Count > 0)
        {
            var text = string.Join("\n", read);
            return Answer(EveryTaskRule().Match(text) is { Success: true } every ? every.Groups[1].Value
                : Regex.Match(text, $@"The code word for {Regex.Escape(task)} is ([A-Z0-9-]+)\.") is { Success: true } own ? own.Groups[1].Value
                : text.Contains(NumberingRule, StringComparison.Ordinal) ? Code(task)
                : null);
        }

        var system = string.Join("\n", messages.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
        var listed = Listed().Matches(system).Select(m => m.Groups[1].Value).Where(p => !p.Contains("/dreams/", StringComparison.Ordinal)).ToList();
        return listed.Count == 0 ? Answer(null) : ScriptedChatClient.ToolCalls(null, [.. listed.Select(path => ("read", (object)new { file_path = path }))]);
    }

    private static ChatMessage Answer(string? code) => new(ChatRole.Assistant, code is null ? "I do not know the code word." : $"The code word is {code}.");

    private static ChatMessage Grade(List<ChatMessage> messages)
    {
        var text = string.Join("\n", messages.Select(m => m.Text));
        var code = RubricCode().Match(text).Groups[1].Value;
        var met = code.Length > 0 && Answered().Matches(text).LastOrDefault()?.Groups[1].Value == code;
        var verdict = met ? "satisfied" : "needs_revision";
        return new ChatMessage(ChatRole.Assistant, $$"""{"findings":[{"criterion":"names the code word","evidence":"{{(met ? "named" : "not named")}}","met":{{(met ? "true" : "false")}},"fix":"{{(met ? "" : "Name the code word.")}}"}],"explanation":"{{verdict}}","verdict":"{{verdict}}"}""");
    }

    [GeneratedRegex(@"^- (/mnt/memory/\S+) \(", RegexOptions.Multiline)]
    private static partial Regex Listed();

    [GeneratedRegex(@"Task ([A-Za-z0-9._-]+):")]
    private static partial Regex TaskId();

    [GeneratedRegex(@"The code word for every task is ([A-Z0-9-]+)\.")]
    private static partial Regex EveryTaskRule();

    [GeneratedRegex(@"The code word is ([A-Z0-9-]+)\.")]
    private static partial Regex Answered();

    [GeneratedRegex(@"names the code word ([A-Z0-9-]+)\.")]
    private static partial Regex RubricCode();
}
