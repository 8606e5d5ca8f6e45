namespace Lucid.Dreams.Validation;

/// <summary>
/// Lesson validation by replay, asked for when a dream is created (a Lucid extension): after curation, each lesson the
/// dream would write is tried on the tasks of the sessions that support it and on a few unrelated tasks, with and
/// without it mounted, and kept only when its measured lift is above <see cref="MinLift"/>. Stored with the dream, with
/// what the replay measured once it ran.
/// </summary>
public sealed record DreamValidation
{
    /// <summary>The default of <see cref="Trials"/>.</summary>
    public const int DefaultTrials = 2;

    /// <summary>The default of <see cref="UnrelatedTasks"/>.</summary>
    public const int DefaultUnrelatedTasks = 1;

    /// <summary>The default of <see cref="MaxTrials"/>.</summary>
    public const int DefaultMaxTrials = 200;

    /// <summary>The most <see cref="Trials"/>.</summary>
    public const int MostTrials = 20;

    /// <summary>The most <see cref="UnrelatedTasks"/>.</summary>
    public const int MostUnrelatedTasks = 50;

    /// <summary>The most <see cref="MaxTrials"/>.</summary>
    public const int MostMaxTrials = 10_000;

    /// <summary>Trials per task per arm (with and without the lesson).</summary>
    public int Trials { get; init; } = DefaultTrials;

    /// <summary>How many tasks the lesson's evidence does not come from are tried too, to catch harm.</summary>
    public int UnrelatedTasks { get; init; } = DefaultUnrelatedTasks;

    /// <summary>A lesson is kept only when its lift is above this (from −1 to 1): at 0, lessons that do not help or that hurt are dropped.</summary>
    public double MinLift { get; init; }

    /// <summary>The most trial sessions the whole validation may run; a plan over it is refused before any trial runs.</summary>
    public int MaxTrials { get; init; } = DefaultMaxTrials;

    /// <summary>The trial sessions planned, once the stage has planned them; null before.</summary>
    public int? PlannedTrials { get; init; }

    /// <summary>What was measured for each lesson, once the stage ran.</summary>
    public IReadOnlyList<LessonLift> Lessons { get; init; } = [];

    /// <summary>Null when the settings are valid; otherwise the field (under <c>validation.</c>) and what is wrong with it.</summary>
    public (string Field, string Message)? Problem() =>
        Trials is < 1 or > MostTrials ? ("validation.trials", $"validation.trials must be from 1 to {MostTrials}, not {Trials}.")
        : UnrelatedTasks is < 0 or > MostUnrelatedTasks ? ("validation.unrelated_tasks", $"validation.unrelated_tasks must be from 0 to {MostUnrelatedTasks}, not {UnrelatedTasks}.")
        : double.IsNaN(MinLift) || MinLift is < -1 or > 1 ? ("validation.min_lift", $"validation.min_lift must be from -1 to 1, not {MinLift.ToString(System.Globalization.CultureInfo.InvariantCulture)}.")
        : MaxTrials is < 1 or > MostMaxTrials ? ("validation.max_trials", $"validation.max_trials must be from 1 to {MostMaxTrials}, not {MaxTrials}.")
        : null;
}
