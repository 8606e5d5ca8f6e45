using Lucid.Evals;

namespace Lucid.Storage;

/// <summary>Persists eval runs.</summary>
public interface IEvalStore
{
    /// <summary>Stores a new run.</summary>
    Task CreateEvalRunAsync(EvalRun run, CancellationToken cancellationToken);

    /// <summary>A run by ID, or null.</summary>
    Task<EvalRun?> GetEvalRunAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Changes a run atomically: <paramref name="change"/> sees the stored run and returns its next state. Returns the run
    /// as stored afterwards, or null when it does not exist.
    /// </summary>
    Task<EvalRun?> UpdateEvalRunAsync(string id, Func<EvalRun, EvalRun> change, CancellationToken cancellationToken);

    /// <summary>A workspace's runs, or every workspace's when <paramref name="workspaceId"/> is null, newest first.</summary>
    Task<Page<EvalRun>> ListEvalRunsAsync(string? workspaceId, PageRequest page, CancellationToken cancellationToken);
}
