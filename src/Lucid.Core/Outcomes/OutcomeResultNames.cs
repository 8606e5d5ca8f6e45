using Lucid.Json;

namespace Lucid.Outcomes;

/// <summary>The names of <see cref="OutcomeResult"/> values, as the API names them; the wire, the stores and the grader use these.</summary>
public static class OutcomeResultNames
{
    private static readonly WireNames<OutcomeResult> Names = new(
        (OutcomeResult.Pending, "pending"),
        (OutcomeResult.Running, "running"),
        (OutcomeResult.Evaluating, "evaluating"),
        (OutcomeResult.NeedsRevision, "needs_revision"),
        (OutcomeResult.Satisfied, "satisfied"),
        (OutcomeResult.MaxIterationsReached, "max_iterations_reached"),
        (OutcomeResult.Failed, "failed"),
        (OutcomeResult.Interrupted, "interrupted"));

    /// <summary>The name of a result, such as <c>needs_revision</c>.</summary>
    public static string ToWire(this OutcomeResult result) => Names.Name(result);

    /// <summary>The result named <paramref name="name"/>; false when none is.</summary>
    public static bool TryParse(string? name, out OutcomeResult result) => Names.TryParse(name, out result);

    /// <summary>Whether a result ends the outcome.</summary>
    public static bool IsTerminal(this OutcomeResult result) =>
        result is OutcomeResult.Satisfied or OutcomeResult.MaxIterationsReached or OutcomeResult.Failed or OutcomeResult.Interrupted;

    /// <summary>Reads and writes <see cref="OutcomeResult"/> by its name.</summary>
    internal sealed class Converter() : WireNameConverter<OutcomeResult>(Names);
}
