using Lucid.Events;
using Lucid.Models;
using Lucid.Sessions;
using Lucid.Telemetry;
using Lucid.Tools;
using Microsoft.Extensions.Logging;

namespace Lucid.Outcomes;

/// <summary>
/// One evaluation cycle of an outcome at the end of a turn: the deterministic checks, then the grader in a fresh
/// context (with heartbeats while it works), recorded as an evaluation span in the log and as a verdict on the turn's
/// trace; returns the cycle's result.
/// </summary>
internal sealed class OutcomeEvaluator(
    ITurnLog log, IChatClientResolver models, Models.ModelCatalog catalog, TimeSpan heartbeat, TimeProvider time, TurnTelemetry telemetry, ILogger logger)
{
    private const int ChangedFilesBudget = 100_000;

    /// <summary>
    /// Records in the log the directory as it is when work toward the outcome begins, once per outcome, so the grader
    /// sees what changed since, whichever runner grades it.
    /// </summary>
    public async Task RecordBaselineAsync(ActiveOutcome outcome, string root, CancellationToken cancellationToken)
    {
        if (outcome.Baseline is null)
        {
            var baseline = DirectorySnapshot.Baseline(root);
            await log.AppendAsync([new OutcomeBaselineEvent { OutcomeId = outcome.Definition.OutcomeId, Files = baseline.Files, FileCount = baseline.FileCount }], cancellationToken);
        }
    }

    public async Task<OutcomeResult> EvaluateAsync(ActiveOutcome outcome, TurnContext context, CancellationToken cancellationToken)
    {
        var definition = outcome.Definition;
        var start = log.Stamp(new SpanOutcomeEvaluationStartEvent { OutcomeId = definition.OutcomeId, Iteration = outcome.Iteration });
        await log.AppendAsync([start], cancellationToken);

        // Every way out of the cycle records its end through here, so the trace sees each verdict once.
        SpanOutcomeEvaluationEndEvent End(OutcomeResult result, string explanation, Grade? grade = null, IReadOnlyList<CheckResult>? checks = null)
        {
            var end = new SpanOutcomeEvaluationEndEvent
            {
                OutcomeId = definition.OutcomeId,
                OutcomeEvaluationStartId = start.Id,
                Iteration = outcome.Iteration,
                Result = result,
                Explanation = explanation,
                Usage = grade?.Usage is { } used ? used with { ListCostUsd = catalog.Get(definition.GraderModel ?? context.Agent.Model).ListCostUsd(used) } : SessionUsage.Zero,
                Findings = grade?.Findings,
                Checks = checks,
                SampleVerdicts = grade?.SampleVerdicts is { Count: > 0 } samples ? samples : null,
            };
            telemetry.Evaluated(end);
            LucidMetrics.TokensUsed(definition.GraderModel ?? context.Agent.Model, end.Usage);
            return end;
        }

        try
        {
            var checks = await OutcomeChecks.RunAsync(definition.Checks ?? [], context.ToolContext, cancellationToken);
            var grader = models.Resolve(definition.GraderModel ?? context.Agent.Model);
            if (!grader.IsSuccess)
            {
                await log.AppendAsync([new SessionErrorEvent { Error = new SessionError("model_request_failed_error", grader.Error.Message, RetryStatus.Terminal) }, End(OutcomeResult.Failed, grader.Error.Message, checks: checks)], CancellationToken.None);
                return OutcomeResult.Failed;
            }

            var messages = await log.ReadAsync(c => c.CycleMessages.ToList(), cancellationToken);
            var baseline = outcome.Baseline ?? DirectorySnapshot.Empty;
            var input = new GradingInput(definition.Description, definition.Rubric.Content, messages, ChangedFiles(baseline, context.ToolContext.Directory.Root), checks)
            {
                ChangedFilesNote = baseline.CoverageNote,
            };
            var grading = OutcomeGrader.GradeAsync(input, grader.Value, definition.GraderSamples ?? 1, cancellationToken);
            await HeartbeatsAsync(outcome, grading, cancellationToken);
            Grade grade;
            try
            {
                grade = await grading;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SessionLog.ModelRequestFailed(logger, ex, log.LogId);
                var error = SessionErrors.From(ex);
                await log.AppendAsync([new SessionErrorEvent { Error = error }, End(OutcomeResult.Failed, $"The grader could not run: {error.Message}", checks: checks)], CancellationToken.None);
                return OutcomeResult.Failed;
            }

            if (grade.Error is not null)
            {
                await log.AppendAsync(
                    [new SessionErrorEvent { Error = new SessionError("unknown_error", grade.Explanation, RetryStatus.Exhausted) }, End(OutcomeResult.Failed, grade.Explanation, grade, checks)],
                    CancellationToken.None);
                return OutcomeResult.Failed;
            }

            var (result, explanation) = (grade.Verdict, grade.Explanation);
            if (result == OutcomeResult.Satisfied && checks.FirstOrDefault(c => !c.Passed) is { } failed)
            {
                (result, explanation) = (OutcomeResult.NeedsRevision, $"{explanation}\nOverruled: the check '{failed.Check}' failed, so the outcome cannot be satisfied.");
            }

            if (result == OutcomeResult.NeedsRevision && outcome.Iteration + 1 >= definition.MaxIterations)
            {
                result = OutcomeResult.MaxIterationsReached;
            }

            await log.AppendAsync([End(result, explanation, grade, checks)], CancellationToken.None);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await log.AppendAsync([End(OutcomeResult.Interrupted, "The user interrupted the evaluation.")], CancellationToken.None);
            throw;
        }
    }

    // While the grader works, a span.outcome_evaluation_ongoing every heartbeat interval.
    private async Task HeartbeatsAsync(ActiveOutcome outcome, Task grading, CancellationToken cancellationToken)
    {
        while (!grading.IsCompleted)
        {
            using var beat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(heartbeat, time, beat.Token);
            if (await Task.WhenAny(grading, delay) == delay)
            {
                await log.AppendAsync([new SpanOutcomeEvaluationOngoingEvent { OutcomeId = outcome.Definition.OutcomeId, Iteration = outcome.Iteration }], cancellationToken);
            }

            await beat.CancelAsync();
        }
    }

    // The files changed since the outcome began, with the text of small text files, within a budget.
    private static List<(string, string, string?)> ChangedFiles(DirectorySnapshot baseline, string root)
    {
        var budget = ChangedFilesBudget;
        var files = new List<(string, string, string?)>();
        foreach (var (path, change) in baseline.ChangesIn(root))
        {
            string? text = null;
            var full = Path.Combine(root, path);
            if (change != "deleted" && budget > 0 && new FileInfo(full) is { Exists: true, Length: < 1_000_000 } && !ToolOutput.LooksBinary(full))
            {
                text = ToolOutput.Limit(File.ReadAllText(full), Math.Min(20_000, budget));
                budget -= text.Length;
            }

            files.Add((path, change, text));
        }

        return files;
    }
}
