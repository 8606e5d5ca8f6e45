using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Lucid.Testing.Models;

/// <summary>
/// An instant model whose success depends on its context, for evals. As the worker, on a prompt "Task ID: …" it knows the
/// answer only from a memory holding that task's lesson ("The code word for ID is CODE."): when its system prompt shows
/// a mounted store it reads <c>lessons/ID.md</c> there, then answers with the code word it found, or says it does not know.
/// As the grader it is satisfied when the deliverable repeats the code word the rubric names. It reports a token for
/// every four characters it reads and writes, so a longer context costs more.
/// </summary>
public sealed partial class LessonChatClient : CodeWordChatClient
{
    /// <summary>The lesson a memory holds for a task, which the worker needs to pass it.</summary>
    public static string Lesson(string taskId, string code) => $"The code word for {taskId} is {code}.\n";

    /// <summary>The rubric a task is graded against.</summary>
    public static string Rubric(string code) => $"The reply names the code word {code}.";

    /// <summary>The prompt of a task.</summary>
    public static string Prompt(string taskId) => $"Task {taskId}: what is the code word?";

    /// <inheritdoc />
    protected override UsageDetails Usage(List<ChatMessage> messages, ChatMessage reply) =>
        new() { InputTokenCount = Tokens(messages), OutputTokenCount = Tokens([reply]) };

    /// <inheritdoc />
    protected override ChatMessage Work(List<ChatMessage> messages)
    {
        var results = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.Result?.ToString() ?? "").ToList();
        if (results.Count > 0)
        {
            return Answer(results.Select(r => LessonCode().Match(r)).FirstOrDefault(m => m.Success)?.Groups[1].Value);
        }

        var task = TaskOf(messages);
        var system = string.Join("\n", messages.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
        var mount = MountPath().Match(system);
        return task is not null && mount.Success
            ? ScriptedChatClient.ToolCalls(null, ("read", new { file_path = $"{mount.Groups[1].Value}/lessons/{task}.md" }))
            : Answer(null);
    }

    /// <inheritdoc />
    protected override bool Named(string text, string code) => Regex.Count(text, Regex.Escape(code)) >= 2;

    private static long Tokens(List<ChatMessage> messages) =>
        1 + (messages.SelectMany(m => m.Contents).Sum(c => c switch
        {
            TextContent t => t.Text.Length,
            FunctionCallContent call => call.Name.Length + (call.Arguments?.Sum(a => a.Key.Length + (a.Value?.ToString()?.Length ?? 0)) ?? 0),
            FunctionResultContent result => result.Result?.ToString()?.Length ?? 0,
            _ => 0,
        }) / 4);

    [GeneratedRegex(@"^## (/mnt/memory/\S+) \(", RegexOptions.Multiline)]
    private static partial Regex MountPath();

    [GeneratedRegex(@"The code word for \S+ is ([A-Z0-9-]+)\.")]
    private static partial Regex LessonCode();
}
