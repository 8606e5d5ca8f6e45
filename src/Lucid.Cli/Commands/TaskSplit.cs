using System.CommandLine;
using Lucid.Dreams;

namespace Lucid.Cli.Commands;

/// <summary>
/// The train/test split options of <c>lucid dream</c> and <c>lucid dream mine</c>: keep the sessions of some tasks
/// (their <c>task_id</c> metadata) and leave out others, so lessons are learned on one set of tasks and measured on another.
/// </summary>
internal sealed class TaskSplit
{
    private readonly Option<string[]> _tasks = new("--tasks")
    {
        Description = "Read only sessions of these tasks (their task_id metadata), space-separated or repeated: the training split. Sessions that name no task are left out. Without --sessions or --since, every session of the workspace is considered.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string[]> _excluded = new("--exclude-tasks")
    {
        Description = "Leave out sessions of these tasks: the held-out split an eval measures on.",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>The options, to add to a command.</summary>
    public IEnumerable<Option> Options => [_tasks, _excluded];

    /// <summary>The split a command line asked for.</summary>
    public Selection Read(ParseResult parse) => new(parse.GetValue(_tasks) ?? [], parse.GetValue(_excluded) ?? []);

    /// <summary>The tasks to keep and to leave out.</summary>
    internal sealed record Selection(string[] Tasks, string[] Excluded)
    {
        /// <summary>Whether any split was asked for.</summary>
        public bool Any => Tasks.Length > 0 || Excluded.Length > 0;

        /// <summary>The sessions of <paramref name="ids"/> the split keeps; all of them when none was asked for.</summary>
        public async Task<IReadOnlyList<string>> ApplyAsync(SessionMining mining, string workspace, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
            Any ? await mining.SplitByTaskAsync(workspace, ids, Tasks.ToHashSet(StringComparer.Ordinal), Excluded.ToHashSet(StringComparer.Ordinal), cancellationToken) : ids;
    }
}
