using System.Globalization;
using System.Text;
using System.Text.Json;
using Lucid.Sessions;
using Microsoft.Extensions.AI;

namespace Lucid.Outcomes;

/// <summary>What one evaluation cycle shows the grader: nothing of the worker's reasoning or tool calls.</summary>
/// <param name="Description">The outcome's description (the task).</param>
/// <param name="Rubric">The rubric.</param>
/// <param name="FinalMessages">The agent's messages since the cycle began.</param>
/// <param name="ChangedFiles">Files changed in the session's directory since the outcome began, with the text of those that are readable.</param>
/// <param name="Checks">The deterministic checks' results.</param>
internal sealed record GradingInput(
    string Description,
    string Rubric,
    IReadOnlyList<string> FinalMessages,
    IReadOnlyList<(string Path, string Change, string? Text)> ChangedFiles,
    IReadOnlyList<CheckResult> Checks)
{
    /// <summary>What the grader should know about the list of changed files, such as that it covers only part of the directory.</summary>
    public string? ChangedFilesNote { get; init; }
}

/// <summary>A grader's decision.</summary>
internal sealed record Grade(OutcomeResult Verdict, string Explanation, IReadOnlyList<OutcomeFinding> Findings, IReadOnlyList<string> SampleVerdicts, SessionUsage Usage, string? Error);

/// <summary>
/// Grades a deliverable against a rubric in a fresh context, with a structured verdict whose reasoning fields come
/// before the verdict field. An invalid reply is retried once; several samples vote.
/// </summary>
internal static class OutcomeGrader
{
    public const string Instructions = """
        You are a strict, fair grader. You check a deliverable against a rubric for a task. You see the task, the rubric,
        the agent's final messages and the files it changed, and the results of deterministic checks. You do not see how
        the agent worked, and you judge only what is in front of you.
        For each rubric criterion, state the evidence, whether it is met, and exactly what to fix when it is not.
        Then explain the verdict, then give it:
        - "satisfied" when every criterion is met;
        - "needs_revision" when something can still be fixed;
        - "failed" only when the rubric cannot apply to this deliverable at all.
        Reply with JSON only, matching the schema.
        """;

    public static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","properties":{
          "findings":{"type":"array","items":{"type":"object","properties":{
            "criterion":{"type":"string"},"evidence":{"type":"string"},"met":{"type":"boolean"},"fix":{"type":"string"}},
            "required":["criterion","evidence","met","fix"],"additionalProperties":false}},
          "explanation":{"type":"string"},
          "verdict":{"type":"string","enum":["satisfied","needs_revision","failed"]}},
         "required":["findings","explanation","verdict"],"additionalProperties":false}
        """).RootElement.Clone();

    private static readonly OutcomeResult[] Verdicts = [OutcomeResult.Satisfied, OutcomeResult.NeedsRevision, OutcomeResult.Failed];

    /// <summary>The grader's request: instructions and one message with the task, rubric and deliverable.</summary>
    public static List<ChatMessage> Request(GradingInput input)
    {
        var text = new StringBuilder();
        text.Append("# Task\n").Append(input.Description).Append("\n\n# Rubric\n").Append(input.Rubric).Append("\n\n# The agent's final messages\n");
        if (input.FinalMessages.Count == 0)
        {
            text.Append("(none)\n");
        }

        foreach (var message in input.FinalMessages)
        {
            text.Append(message).Append("\n---\n");
        }

        text.Append("\n# Files changed in the session's directory\n");
        if (input.ChangedFilesNote is not null)
        {
            text.Append(input.ChangedFilesNote).Append('\n');
        }

        if (input.ChangedFiles.Count == 0)
        {
            text.Append("(none)\n");
        }

        foreach (var (path, change, content) in input.ChangedFiles)
        {
            text.Append(CultureInfo.InvariantCulture, $"## {path} ({change})\n");
            if (content is not null)
            {
                text.Append("```\n").Append(content).Append("\n```\n");
            }
        }

        if (input.Checks.Count > 0)
        {
            text.Append("\n# Deterministic checks (already run; a failed check means the outcome is not satisfied)\n");
            foreach (var check in input.Checks)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {check.Check}: {(check.Passed ? "passed" : "FAILED")}\n");
                if (!check.Passed && check.Output.Length > 0)
                {
                    text.Append("```\n").Append(check.Output).Append("\n```\n");
                }
            }
        }

        return [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, text.ToString())];
    }

    /// <summary>Runs <paramref name="samples"/> independent gradings and takes the majority.</summary>
    public static async Task<Grade> GradeAsync(GradingInput input, IChatClient grader, int samples, CancellationToken cancellationToken)
    {
        var grades = await Task.WhenAll(Enumerable.Range(0, Math.Max(1, samples)).Select(_ => GradeOnceAsync(input, grader, cancellationToken)));
        var usage = grades.Aggregate(SessionUsage.Zero, (sum, g) => sum.Add(g.Usage));
        var valid = grades.Where(g => g.Error is null).ToList();
        if (valid.Count == 0)
        {
            return grades[0] with { Usage = usage };
        }

        // Majority; a tie goes to the more cautious verdict (needs_revision, then failed, then satisfied).
        var winner = valid.GroupBy(g => g.Verdict)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key switch { OutcomeResult.NeedsRevision => 0, OutcomeResult.Failed => 1, _ => 2 })
            .First();
        var chosen = winner.First();
        return chosen with { Usage = usage, SampleVerdicts = grades.Length > 1 ? [.. grades.Select(g => g.Error is null ? g.Verdict.ToWire() : "invalid")] : [] };
    }

    private static async Task<Grade> GradeOnceAsync(GradingInput input, IChatClient grader, CancellationToken cancellationToken)
    {
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "outcome_verdict", "A grader's findings, explanation and verdict.") };
        var usage = SessionUsage.Zero;
        string? problem = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var response = await grader.GetResponseAsync(Request(input), options, cancellationToken);
            usage = usage.Add(SessionUsage.FromModel(response.Usage));
            var parsed = Parse(response.Text, out problem);
            if (parsed is not null)
            {
                return parsed with { Usage = usage };
            }
        }

        return new Grade(OutcomeResult.Failed, $"The grader's reply was not a valid verdict, twice: {problem}", [], [], usage, problem);
    }

    private static Grade? Parse(string text, out string? problem)
    {
        problem = null;
        var json = Models.ModelJson.Unfence(text);

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("verdict", out var verdict) || !OutcomeResultNames.TryParse(verdict.ValueKind == JsonValueKind.String ? verdict.GetString() : null, out var result) || !Verdicts.Contains(result)
                || !root.TryGetProperty("explanation", out var explanation) || explanation.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("findings", out var findings) || findings.ValueKind != JsonValueKind.Array)
            {
                problem = "it needs findings (array), explanation (string) and verdict (satisfied, needs_revision or failed)";
                return null;
            }

            var list = new List<OutcomeFinding>();
            foreach (var finding in findings.EnumerateArray())
            {
                if (finding.ValueKind != JsonValueKind.Object
                    || !finding.TryGetProperty("criterion", out var criterion) || criterion.ValueKind != JsonValueKind.String
                    || !finding.TryGetProperty("met", out var met) || met.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    problem = "each finding needs criterion (string) and met (boolean)";
                    return null;
                }

                list.Add(new OutcomeFinding(
                    criterion.GetString() ?? "",
                    finding.TryGetProperty("evidence", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : "",
                    met.GetBoolean(),
                    finding.TryGetProperty("fix", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() ?? "" : ""));
            }

            return new Grade(result, explanation.GetString() ?? "", list, [], SessionUsage.Zero, null);
        }
        catch (JsonException ex)
        {
            problem = $"it is not JSON ({ex.Message})";
            return null;
        }
    }
}
