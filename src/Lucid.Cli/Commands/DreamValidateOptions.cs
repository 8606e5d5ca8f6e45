using System.CommandLine;
using Lucid.Dreams.Validation;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary>The options of <c>lucid dream</c> that ask for lesson validation by replay: <c>--validate</c> and its settings.</summary>
internal sealed class DreamValidateOptions
{
    private readonly Option<bool> _validate = new("--validate") { Description = "Validate each lesson by replay before it is written or proposed: trial sessions with and without it, which cost model calls." };
    private readonly Option<int?> _trials = new("--validate-trials") { Description = $"With --validate: trials per task per arm (default {DreamValidation.DefaultTrials})." };
    private readonly Option<int?> _unrelated = new("--unrelated-tasks") { Description = $"With --validate: unrelated tasks tried per lesson, to catch harm (default {DreamValidation.DefaultUnrelatedTasks})." };
    private readonly Option<double?> _minLift = new("--min-lift") { Description = "With --validate: keep a lesson only when its lift is above this, from -1 to 1 (default 0: drop lessons that do not help or that hurt)." };
    private readonly Option<int?> _maxTrials = new("--max-trials") { Description = $"With --validate: the most trial sessions the validation may run; a plan over it is refused (default {DreamValidation.DefaultMaxTrials})." };

    private DreamValidateOptions()
    {
    }

    public IEnumerable<Option> Options => [_validate, _trials, _unrelated, _minLift, _maxTrials];

    public static DreamValidateOptions Create() => new();

    /// <summary>Reads the options; false (having said why) when a setting is given without --validate or is out of range.</summary>
    public bool Read(CliContext context, ParseResult parse, out DreamValidation? validation)
    {
        validation = null;
        var (trials, unrelated, minLift, maxTrials) = (parse.GetValue(_trials), parse.GetValue(_unrelated), parse.GetValue(_minLift), parse.GetValue(_maxTrials));
        if (!parse.GetValue(_validate))
        {
            if (trials is null && unrelated is null && minLift is null && maxTrials is null)
            {
                return true;
            }

            context.Console.MarkupLine("[red]error:[/] --validate-trials, --unrelated-tasks, --min-lift and --max-trials set lesson validation; add --validate to ask for it.");
            return false;
        }

        var asked = new DreamValidation
        {
            Trials = trials ?? DreamValidation.DefaultTrials,
            UnrelatedTasks = unrelated ?? DreamValidation.DefaultUnrelatedTasks,
            MinLift = minLift ?? 0,
            MaxTrials = maxTrials ?? DreamValidation.DefaultMaxTrials,
        };
        if (asked.Problem() is { } problem)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(Flag(problem.Field))}: {Markup.Escape(problem.Message)}");
            return false;
        }

        validation = asked;
        return true;
    }

    private static string Flag(string field) => field switch
    {
        "validation.trials" => "--validate-trials",
        "validation.unrelated_tasks" => "--unrelated-tasks",
        "validation.min_lift" => "--min-lift",
        _ => "--max-trials",
    };
}
