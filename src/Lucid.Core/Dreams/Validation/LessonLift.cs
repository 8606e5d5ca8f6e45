namespace Lucid.Dreams.Validation;

/// <summary>
/// What replay measured for one lesson: the eval run that tried it (its baseline arm without the lesson, its other arm
/// with it), the pass counts of both, and the lift — the per-task difference in pass rate, averaged over the tasks tried.
/// </summary>
public sealed record LessonLift
{
    /// <summary>The path the lesson would be written to.</summary>
    public required string Path { get; init; }

    /// <summary>The tasks of the sessions its evidence comes from that could be replayed.</summary>
    public IReadOnlyList<string> SupportingTasks { get; init; } = [];

    /// <summary>The unrelated tasks tried, to catch harm.</summary>
    public IReadOnlyList<string> UnrelatedTasks { get; init; } = [];

    /// <summary>The eval run that tried it, or null when none could (see <see cref="Note"/>).</summary>
    public string? EvalRunId { get; init; }

    /// <summary>Trials per arm.</summary>
    public int Trials { get; init; }

    /// <summary>Trials that passed without the lesson.</summary>
    public int PassedWithout { get; init; }

    /// <summary>Trials that passed with the lesson.</summary>
    public int PassedWith { get; init; }

    /// <summary>The per-task difference in pass rate (with less without) averaged over every task tried; null when not measured.</summary>
    public double? Lift { get; init; }

    /// <summary>The same over the supporting tasks only; null when not measured.</summary>
    public double? SupportingLift { get; init; }

    /// <summary>The same over the unrelated tasks only; null when none were tried.</summary>
    public double? UnrelatedLift { get; init; }

    /// <summary>The exact sign test's p-value over the tasks that changed either way; null when not measured.</summary>
    public double? PValue { get; init; }

    /// <summary>Whether the lesson stays in the dream's changes.</summary>
    public required bool Kept { get; init; }

    /// <summary>Why it was kept without measure, or why the replay could not run; null otherwise.</summary>
    public string? Note { get; init; }

    /// <summary>A lift as +0.50, -0.25 or 0.00; a dash when not measured.</summary>
    public static string Show(double? lift) => lift is { } value ? value.ToString("+0.00;-0.00;0.00", System.Globalization.CultureInfo.InvariantCulture) : "–";
}
