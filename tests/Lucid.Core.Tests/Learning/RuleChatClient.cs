using System.Text.RegularExpressions;
using Lucid.Testing.Models;
using Microsoft.Extensions.AI;

namespace Lucid.Core.Tests.Learning;

/// <summary>
/// An instant worker whose success depends on the lessons in its context. On "Task ID: …" it reads every memory its
/// system prompt lists (dream reports aside), then answers with the code word the first rule that applies gives: a rule
/// for every task ("The code word for every task is CODE.") over the task's own lesson ("The code word for ID is
/// CODE.") over the numbering rule (<see cref="NumberingRule"/>: KIWI- and the task's digits); with none it does not
/// know. As the grader it is satisfied when the last answer ("The code word is CODE.") names the rubric's code.
/// </summary>
internal sealed partial class RuleChatClient : CodeWordChatClient
{
    /// <summary>The lesson that holds for every task: its code word is KIWI- and the task's digits.</summary>
    public const string NumberingRule = "The code word of each task is KIWI- and the digits of the task's ID.";

    /// <summary>A rule for every task, which overrides any other lesson the worker reads.</summary>
    public static string EveryTask(string code) => $"The code word for every task is {code}.";

    /// <summary>The code word of task tNNN.</summary>
    public static string Code(string taskId) => $"KIWI-{taskId[1..]}";

    /// <inheritdoc />
    protected override ChatMessage Work(List<ChatMessage> messages)
    {
        var task = TaskOf(messages);
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

    /// <inheritdoc />
    protected override bool Named(string text, string code) => Answered().Matches(text).LastOrDefault()?.Groups[1].Value == code;

    [GeneratedRegex(@"^- (/mnt/memory/\S+) \(", RegexOptions.Multiline)]
    private static partial Regex Listed();

    [GeneratedRegex(@"The code word for every task is ([A-Z0-9-]+)\.")]
    private static partial Regex EveryTaskRule();

    [GeneratedRegex(@"The code word is ([A-Z0-9-]+)\.")]
    private static partial Regex Answered();
}
