using Lucid.Events;
using Lucid.Memory;
using Lucid.Outcomes;
using Lucid.Sessions;

namespace Lucid.Evals;

/// <summary>
/// Runs one trial: an ordinary session through the session service, tagged with <see cref="EvalMetadata"/>, whose first
/// event defines the task as its outcome; it ends at the session's first idle (the outcome loop has ended) or termination.
/// </summary>
internal sealed class EvalTrials(SessionService sessions, EventHub events, string workDirectoriesRoot)
{
    public async Task<EvalTrial> RunAsync(EvalRun run, int armIndex, int taskIndex, int trial, CancellationToken cancellationToken)
    {
        var arm = run.Suite.Arms[armIndex];
        var task = run.Suite.Tasks[taskIndex];
        var result = new EvalTrial { Arm = arm.Name, TaskId = task.Id, Trial = trial };
        var directory = task.Files.Count == 0 ? null : WriteFiles(Path.Combine(workDirectoriesRoot, "evals", run.Id, $"{armIndex}-{taskIndex}-{trial}"), task.Files);
        var created = await sessions.CreateAsync(run.WorkspaceId, new SessionDefinition
        {
            AgentId = run.AgentId ?? throw new InvalidOperationException($"Eval run '{run.Id}' has no agent."),
            EnvironmentId = run.EnvironmentId ?? throw new InvalidOperationException($"Eval run '{run.Id}' has no environment."),
            WorkDirectory = directory,
            Title = $"{(run.Suite.Name.Length > 0 ? run.Suite.Name : "eval")}: {task.Id} [{arm.Name} #{trial}]",
            Metadata = Tags(run, arm.Name, task.Id, trial),
            Resources = run.ArmStores.TryGetValue(arm.Name, out var store) ? [new MemoryAttachment(store, MemoryAccess.ReadOnly)] : [],
            InitialEvents =
            [
                new UserDefineOutcomeEvent
                {
                    Description = task.Prompt,
                    Rubric = OutcomeRubric.Text(task.Rubric),
                    MaxIterations = run.Suite.MaxIterations,
                    Checks = task.Checks.Count > 0 ? task.Checks : null,
                    GraderModel = run.Suite.GraderModel,
                },
            ],
        }, cancellationToken);
        if (!created.IsSuccess)
        {
            if (directory is not null)
            {
                Directory.Delete(directory, recursive: true);
            }

            return result with { Error = created.Error.Message };
        }

        var session = created.Value;
        var stopped = "";
        await foreach (var logged in events.FollowAsync(LogId.Of(session.Id), 0, cancellationToken))
        {
            if (logged.Event is SessionStatusIdleEvent idle)
            {
                stopped = $"idle: {idle.StopReason.Type}";
                break;
            }

            if (logged.Event is SessionStatusTerminatedEvent)
            {
                stopped = "terminated";
                break;
            }
        }

        var ended = await sessions.GetAsync(run.WorkspaceId, session.Id, cancellationToken);
        var final = ended.IsSuccess ? ended.Value : session;
        var outcome = final.OutcomeEvaluations.Count > 0 ? final.OutcomeEvaluations[0].Result : OutcomeResult.Pending;
        return result with
        {
            SessionId = session.Id,
            Result = outcome,
            Usage = final.Usage,
            Error = outcome.IsTerminal() ? null : $"The session stopped ({stopped}) before its outcome got a verdict.",
        };
    }

    // What a trial's session is tagged with, so it can be found, inspected, dreamed on (or, for a replay, left out).
    private static Dictionary<string, string> Tags(EvalRun run, string arm, string taskId, int trial)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [EvalMetadata.RunId] = run.Id,
            [EvalMetadata.Arm] = arm,
            [EvalMetadata.TaskId] = taskId,
            [EvalMetadata.Trial] = trial.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (run.ValidatesDreamId is { } dreamId)
        {
            tags[EvalMetadata.ValidatesDreamId] = dreamId;
        }

        return tags;
    }

    private static string WriteFiles(string directory, IReadOnlyDictionary<string, string> files)
    {
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return directory;
    }
}
