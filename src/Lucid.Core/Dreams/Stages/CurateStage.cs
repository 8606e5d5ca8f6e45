using System.Globalization;

namespace Lucid.Dreams.Stages;

/// <summary>
/// The curate stage (model): asks for edit operations on the output store and has <see cref="DreamCuration"/> check
/// them; a rejected proposal goes back to the model with its problems until one passes or the attempts run out. Nothing
/// is cut to fit the budget.
/// </summary>
internal sealed class CurateStage(DreamRun run, DreamModel model, DreamOptions options)
{
    public async Task<CuratedDream> RunAsync(ReflectedDream reflected, CancellationToken cancellationToken)
    {
        var dream = run.Dream;
        var budget = options.MemoryBudgetBytes;
        var attempts = Math.Max(1, options.MaxCurateAttempts);
        var prompt = Prompt(reflected, budget);
        var report = reflected.Report;
        string? feedback = null;
        DreamCuration.Plan? last = null;
        try
        {
            for (var attempt = 1; attempt <= attempts; attempt++)
            {
                var operations = DreamPrompts.ParseOperations(await model.AskAsync(DreamPrompts.Curate, prompt, feedback, cancellationToken), out var problem);
                if (operations is null)
                {
                    feedback = $"Your reply was not valid: {problem}.";
                    report = report with { RejectedAttempts = [.. report.RejectedAttempts, $"Attempt {attempt}: {feedback}"] };
                    await run.NoteAsync(DreamStage.Curate, $"Curation attempt {attempt} rejected: {feedback}", cancellationToken);
                    continue;
                }

                last = DreamSkillCuration.Add(
                    DreamCuration.Check(operations, reflected.Snapshot, reflected.Evidence, dream.SessionIds.Count, dream.Id, budget, run.Secrets),
                    operations, reflected.Evidence, Workflows(reflected), dream.Review is not null, run.Secrets, dream.Id);
                if (last.Problems.Count == 0)
                {
                    report = (report with { Refused = last.Refused, ResultBytes = last.ResultBytes, BudgetBytes = budget }).Done(DreamStage.Curate);
                    await run.NoteAsync(DreamStage.Curate, string.Create(CultureInfo.InvariantCulture,
                        $"Curation attempt {attempt} accepted: {string.Join(", ", last.Changes.Select(c => $"{c.Op.ToWire()} {c.Path}"))}{(last.Changes.Count == 0 ? "no changes" : "")}; {last.ResultBytes:N0} of {budget:N0} bytes.{(last.Refused.Count > 0 ? "\n" + string.Join("\n", last.Refused) : "")}"),
                        cancellationToken);
                    return new CuratedDream(report, reflected.OutputStoreId, last);
                }

                feedback = "Your operations were rejected; nothing was written. Fix these problems and send the whole list again:\n- " + string.Join("\n- ", last.Problems);
                report = report with { RejectedAttempts = [.. report.RejectedAttempts, $"Attempt {attempt}: {string.Join(" ", last.Problems)}"] };
                await run.NoteAsync(DreamStage.Curate, $"Curation attempt {attempt} rejected:\n- {string.Join("\n- ", last.Problems)}", cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The failed dream's report lists the attempts rejected before the failure.
            throw DreamFailedException.From(ex, report);
        }

        throw last is { OverBudget: true }
            ? new DreamFailedException("memory_budget_exceeded", string.Create(CultureInfo.InvariantCulture, $"Curation stayed over the memory budget of {budget:N0} bytes after {attempts} attempts; nothing was cut to fit and no lesson was written."))
            { Report = report }
            : new DreamFailedException("invalid_model_output", $"Curation produced no valid operations after {attempts} attempts; no lesson was written. Last problems: {(last is null ? "the replies were not valid JSON" : string.Join(" ", last.Problems))}")
            { Report = report };
    }

    private string Prompt(ReflectedDream reflected, int budget)
    {
        var current = reflected.Snapshot.Values.Where(m => !Dream.IsReportPath(m.Path)).Sum(m => (long)m.ContentSizeBytes);
        var prompt = DreamPrompts.Start(run.Dream);
        prompt.Append(CultureInfo.InvariantCulture, $"# Budget\nThe store may hold at most {budget:N0} bytes of memories (reports under {Dream.ReportsPrefix} are not counted); it holds {current:N0} now. A lesson as written takes about its title, when and do plus ~200 bytes of evidence.\n\n");
        prompt.Append("# Candidate lessons\n");
        foreach (var lesson in reflected.Lessons)
        {
            prompt.Append(CultureInfo.InvariantCulture, $"- {lesson.Title}\n  when: {lesson.When}\n  do: {lesson.Do}\n  evidence: {string.Join(", ", lesson.EventIds)}\n");
        }

        prompt.Append("\n# The memory store now\n").Append(DreamPrompts.Memories(reflected.Snapshot.Values));
        return DreamPrompts.Workflows(prompt, Workflows(reflected), run.Dream.Review is not null).ToString();
    }

    private static IReadOnlyList<WorkflowPattern> Workflows(ReflectedDream reflected) => reflected.Report.Mining?.Workflows ?? [];
}
