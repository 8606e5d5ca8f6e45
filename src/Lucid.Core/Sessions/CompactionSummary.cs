using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Lucid.Sessions;

/// <summary>The texts of a compaction: the summarizing request, the transcript it reads, and the message the summary becomes.</summary>
internal static class CompactionSummary
{
    /// <summary>The system prompt of a summarizing request.</summary>
    public const string Instructions =
        "You compact the context of an AI agent's long-running session. You are given the summary of the session so far " +
        "(if any) and the next part of its transcript. Write an updated summary that replaces both, for the agent to continue " +
        "from: the user's goals and instructions, decisions made and why, what was done and its results (files, commands, " +
        "findings, errors and how they were resolved), and what remains to do. Keep exact names, paths, identifiers and " +
        "numbers. Write plain prose and lists, no preamble.";

    private const string Header = "[Summary of the earlier conversation, written when the context was compacted; the full record is in the session's event log.]";

    /// <summary>The user message that stands for the compacted messages.</summary>
    public static string Message(string summary) => $"{Header}\n{summary}";

    /// <summary>The request that folds one part of the transcript into the summary so far.</summary>
    public static List<ChatMessage> Request(string? summarySoFar, string transcript) =>
    [
        new(ChatRole.System, Instructions),
        new(ChatRole.User, (summarySoFar is null ? "" : $"Summary so far:\n{summarySoFar}\n\n") + $"Next part of the transcript:\n{transcript}\n\nWrite the updated summary."),
    ];

    /// <summary>A message as the summarizing model reads it; tool results are cut to <paramref name="resultChars"/>.</summary>
    public static string Transcript(ChatMessage message, int resultChars)
    {
        var text = new StringBuilder();
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent t when message.Role == ChatRole.User && t.Text.StartsWith(Header, StringComparison.Ordinal):
                    text.Append("Earlier summary: ").AppendLine(t.Text[Header.Length..].Trim());
                    break;
                case TextContent t:
                    text.Append(message.Role == ChatRole.Assistant ? "Agent: " : "User: ").AppendLine(t.Text);
                    break;
                case FunctionCallContent call:
                    text.Append("Agent called ").Append(call.Name).Append(' ').AppendLine(JsonSerializer.Serialize(call.Arguments));
                    break;
                case FunctionResultContent result:
                    var output = result.Result?.ToString() ?? "";
                    text.Append("Tool result: ").AppendLine(output.Length <= resultChars ? output : $"{output[..resultChars]}… [{output.Length - resultChars} more characters]");
                    break;
            }
        }

        return text.ToString();
    }
}
