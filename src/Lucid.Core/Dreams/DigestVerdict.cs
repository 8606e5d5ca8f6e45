namespace Lucid.Dreams;

/// <summary>One outcome evaluation's verdict in a digest.</summary>
/// <param name="OutcomeId">The outcome.</param>
/// <param name="Iteration">The 0-based evaluation cycle.</param>
/// <param name="Result"><c>satisfied</c>, <c>needs_revision</c>, <c>failed</c>, …</param>
/// <param name="Explanation">The grader's explanation (at most 1,000 characters).</param>
/// <param name="UnmetCriteria">The rubric criteria the grader found unmet, with its evidence.</param>
/// <param name="EventId">The <c>span.outcome_evaluation_end</c> event.</param>
public sealed record DigestVerdict(string OutcomeId, int Iteration, Outcomes.OutcomeResult Result, string Explanation, IReadOnlyList<DigestFinding> UnmetCriteria, string EventId);
