using System.Globalization;
using System.Text;
using Lucid.Outcomes;

namespace Lucid.Dreams;

/// <summary>
/// Renders a digest as compact text for a model to reflect on, each line ending with the event IDs it cites. It holds
/// no recalled memory text: digests never keep what memory reads returned.
/// </summary>
internal static class DigestText
{
    /// <summary>The digest as text.</summary>
    public static string Render(SessionDigest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"## Session {digest.SessionId}");
        if (digest.ImportSource is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" (imported from {digest.ImportSource})");
        }

        text.Append('\n');
        if (digest.TaskId is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Task ID: {digest.TaskId}\n");
        }

        if (digest.Task is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Task: {OneLine(digest.Task)} [{digest.TaskEventId}]\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"Result: {digest.FinalResult?.ToWire() ?? "no outcome"}\n");
        foreach (var verdict in digest.Verdicts)
        {
            text.Append(CultureInfo.InvariantCulture, $"- evaluation {verdict.Iteration + 1}: {verdict.Result.ToWire()}: {OneLine(verdict.Explanation)} [{verdict.EventId}]\n");
            foreach (var finding in verdict.UnmetCriteria)
            {
                text.Append(CultureInfo.InvariantCulture, $"  - unmet: {OneLine(finding.Criterion)}: {OneLine(finding.Evidence)}\n");
            }
        }

        if (digest.Tools.Count > 0)
        {
            text.Append("Tools: ").AppendJoin(", ", digest.Tools.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Tool} {t.Calls} calls/{t.Errors} failed"))).Append('\n');
        }

        if (digest.Workflow.Count > 0)
        {
            text.Append("Workflow: ").AppendJoin(" → ", digest.Workflow.Select(s => s.Tool)).Append(" [").AppendJoin(", ", digest.Workflow.Select(s => s.ToolUseEventId)).Append("]\n");
        }

        foreach (var error in digest.ToolErrors)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {error.Tool} failed: {error.Signature} [{error.ResultEventId}]");
            if (error.Fix is { } fix)
            {
                text.Append(CultureInfo.InvariantCulture, $"; fixed by {fix.Change} [{fix.ToolUseEventId}]");
            }

            text.Append('\n');
        }

        foreach (var repeat in digest.Repeats)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {repeat.Kind.Replace('_', ' ')} ×{repeat.Count}: {repeat.Tool} {OneLine(repeat.Signature)} [{string.Join(", ", repeat.EventIds)}]\n");
        }

        foreach (var error in digest.SessionErrors)
        {
            text.Append(CultureInfo.InvariantCulture, $"- session error {error.Type}: {OneLine(error.Message)} [{error.EventId}]\n");
        }

        foreach (var memory in digest.Memories)
        {
            text.Append(CultureInfo.InvariantCulture, $"- memory {(memory.IsWrite ? "written" : "read")}: {memory.Path} [{memory.ToolUseEventId}]\n");
        }

        var tokens = digest.Tokens;
        if (tokens.ModelRequests > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"Tokens: {tokens.InputTokens} in, {tokens.OutputTokens} out over {tokens.ModelRequests} requests; {tokens.WastedTokens} wasted\n");
        }

        if (tokens.Compactions > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"Context compacted {tokens.Compactions} times (the session outgrew its model's window) [{string.Join(", ", tokens.CompactionEventIds)}]\n");
        }

        return text.ToString();
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
