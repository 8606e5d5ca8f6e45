using Lucid.Evals;
using Lucid.Ids;
using Lucid.Memory;
using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Dreams.Validation;

/// <summary>
/// What a dream's validate stage replays tasks with: eval runs, created and run here (never started in the background),
/// whose trials are ordinary sessions. A host that can run sessions gives its dream pipeline one; a pipeline without it
/// fails a dream that asks for validation.
/// </summary>
public sealed class LessonReplay
{
    private readonly EvalService _evals;
    private readonly EvalRunner _runner;

    /// <summary>Creates the replay over the runner whose engine runs the trials.</summary>
    public LessonReplay(ILucidStore store, MemoryService memory, EvalRunner runner, TimeProvider? timeProvider = null, IdGenerator? ids = null)
    {
        _evals = new EvalService(store, memory, timeProvider, ids);
        _runner = runner;
    }

    /// <summary>Creates and runs an eval run that validates a lesson of <paramref name="dreamId"/>, and returns it as it ended.</summary>
    internal async Task<Result<EvalRun>> RunAsync(
        string workspaceId, EvalSuite suite, MemoryActor actor, string dreamId, IProgress<EvalProgress>? progress, CancellationToken cancellationToken)
    {
        var created = await _evals.CreateAsync(workspaceId, suite, actor, dreamId, cancellationToken);
        return created.IsSuccess ? await _runner.RunAsync(created.Value.Id, progress, cancellationToken) : created.Error;
    }
}
