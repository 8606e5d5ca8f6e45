namespace Lucid.Dreams;

/// <summary>A rubric criterion the grader found unmet.</summary>
/// <param name="Criterion">The criterion.</param>
/// <param name="Evidence">What the grader saw (at most 500 characters).</param>
public sealed record DigestFinding(string Criterion, string Evidence);
