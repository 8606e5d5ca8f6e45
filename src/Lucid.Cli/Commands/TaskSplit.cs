using System.CommandLine;
using Lucid.Dreams;

namespace Lucid.Cli.Commands;

/// <summary>
/// The train/test split options of <c>lucid dream</c>, <c>lucid dream mine</c> and <c>lucid eval</c>: keep some tasks
/// (a session's <c>task_id</c> metadata, a suite task's <c>id</c>) and leave out others, so lessons are learned on one
/// set of tasks and measured on another.
/// </summary>
internal sealed class TaskSplit
{
    private readonly Option<string[]> _tasks;
    private readonly Option<string[]> _excluded;

    /// <summary>The options of the dream commands, which split sessions.</summary>
    public static TaskSplit OfSessions() => new(
        "Read only sessions of these tasks (their task_id metadata), space-separated or repeated: the training split. Sessions that name no task are left out. Without --sessions or --since, every session of the workspace is considered.",
        "Leave out sessions of these tasks: the held-out split an eval measures on.");

    /// <summary>The options of <c>lucid eval</c>, which split a suite's tasks.</summary>
    public static TaskSplit OfSuite() => new(
        "Run only these tasks of the suite (by id), space-separated or repeated: the held-out split the lessons were not learned on.",
        "Leave out these tasks of the suite: those the lessons were learned on.");

    private TaskSplit(string keep, string leaveOut)
    {
        _tasks = new Option<string[]>("--tasks") { Description = keep, AllowMultipleArgumentsPerToken = true };
        _excluded = new Option<string[]>("--exclude-tasks") { Description = leaveOut, AllowMultipleArgumentsPerToken = true };
    }

    /// <summary>The options, to add to a command.</summary>
    public IEnumerable<Option> Options => [_tasks, _excluded];

    /// <summary>The split a command line asked for.</summary>
    public Selection Read(ParseResult parse) => new(parse.GetValue(_tasks) ?? [], parse.GetValue(_excluded) ?? []);

    /// <summary>The tasks to keep and to leave out.</summary>
    internal sealed record Selection(string[] Tasks, string[] Excluded)
    {
        /// <summary>Whether any split was asked for.</summary>
        public bool Any => Tasks.Length > 0 || Excluded.Length > 0;

        /// <summary>Whether the split keeps the task named <paramref name="taskId"/>.</summary>
        public bool Keeps(string taskId) => (Tasks.Length == 0 || Tasks.Contains(taskId, StringComparer.Ordinal)) && !Excluded.Contains(taskId, StringComparer.Ordinal);

        /// <summary>The sessions of <paramref name="ids"/> the split keeps; all of them when none was asked for.</summary>
        public async Task<IReadOnlyList<string>> ApplyAsync(SessionMining mining, string workspace, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
            Any ? await mining.SplitByTaskAsync(workspace, ids, Tasks.ToHashSet(StringComparer.Ordinal), Excluded.ToHashSet(StringComparer.Ordinal), cancellationToken) : ids;
    }
}
