using System.Text;
using Lucid.Sessions;
using Lucid.Tools;
using Microsoft.Extensions.AI;

namespace Lucid.Threads;

/// <summary>
/// The advisor's request: in a fresh context, the agent's instructions, what it was asked to do, the conversation so far
/// (as a transcript, newest kept when it does not all fit) and the agent's question.
/// </summary>
internal static class AdvisorPrompt
{
    public const string Instructions = """
        You advise an AI agent in the middle of its work. You see its instructions, what its user asked for, and the
        conversation so far, with its tool calls and their results. You cannot act yourself: the agent does the work.
        Answer its question, or, without one, give the advice that most helps it now: a plan, a correction, a risk it
        missed, or a check of its approach. Be concrete and brief.
        """;

    // The transcript is cut so the consultation stays a bounded request; tool results are cut first.
    private const int TranscriptBudget = 100_000;
    private const int ToolResultChars = 2_000;
    private const int SystemBudget = 20_000;

    /// <summary>The advisor's messages: its instructions, and one message with the agent's situation and question.</summary>
    public static List<ChatMessage> Request(string? system, IReadOnlyList<string> task, IReadOnlyList<ChatMessage> conversation, string? question)
    {
        var text = new StringBuilder();
        text.Append("# The agent's instructions\n").Append(system is { Length: > 0 } ? ToolOutput.Limit(system, SystemBudget) : "(none)").Append("\n\n");
        text.Append("# What the user asked for\n").Append(task.Count == 0 ? "(nothing yet)\n" : string.Join("\n---\n", task) + "\n");
        text.Append("\n# The conversation so far\n").Append(Transcript(conversation));
        text.Append("\n# The agent's question\n").Append(question is { Length: > 0 } ? question : "(none: advise on what it should do next)").Append('\n');
        return [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, text.ToString())];
    }

    private static string Transcript(IReadOnlyList<ChatMessage> conversation)
    {
        var parts = new List<string>();
        var budget = TranscriptBudget;
        for (var i = conversation.Count - 1; i >= 0 && budget > 0; i--)
        {
            var part = CompactionSummary.Transcript(conversation[i], ToolResultChars);
            parts.Insert(0, part.Length <= budget ? part : $"… {part[^budget..]}");
            budget -= part.Length;
        }

        return parts.Count < conversation.Count ? $"[{conversation.Count - parts.Count} earlier messages left out]\n{string.Concat(parts)}" : string.Concat(parts);
    }
}
