using System.Globalization;
using System.Text;
using Lucid.Events;

namespace Lucid.Outcomes;

/// <summary>What the worker is told after an evaluation: the fix list, or that the budget is spent.</summary>
internal static class OutcomeFeedback
{
    public static string Revision(SpanOutcomeEvaluationEndEvent end, int maxIterations)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"A reviewer checked your work against the rubric (evaluation {end.Iteration + 1} of {maxIterations}): it needs revision.\n\n");
        text.Append(end.Explanation).Append("\n\n");
        AppendFixes(text, end);
        text.Append("\nRevise the work to address every item, then reply when it is done.");
        return text.ToString();
    }

    public static string Acknowledge(SpanOutcomeEvaluationEndEvent end, int maxIterations)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"The evaluation budget for this outcome is spent ({maxIterations} evaluations) and it is not satisfied.\n\n");
        text.Append(end.Explanation).Append("\n\n");
        AppendFixes(text, end);
        text.Append("\nDo not continue the work. Reply with a short acknowledgment: what is done, and what remains.");
        return text.ToString();
    }

    private static void AppendFixes(StringBuilder text, SpanOutcomeEvaluationEndEvent end)
    {
        var fixes = (end.Findings ?? []).Where(f => !f.Met).ToList();
        var failedChecks = (end.Checks ?? []).Where(c => !c.Passed).ToList();
        if (fixes.Count == 0 && failedChecks.Count == 0)
        {
            return;
        }

        text.Append("Fix list:\n");
        foreach (var finding in fixes)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {finding.Criterion}: {(finding.Fix.Length > 0 ? finding.Fix : finding.Evidence)}\n");
        }

        foreach (var check in failedChecks)
        {
            text.Append(CultureInfo.InvariantCulture, $"- check failed: {check.Check}");
            if (check.Output.Length > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  ```\n  {check.Output.Trim().Replace("\n", "\n  ", StringComparison.Ordinal)}\n  ```");
            }

            text.Append('\n');
        }
    }
}
