using Lucid.Evals;
using Lucid.Storage;

namespace Lucid.Testing.Storage;

public sealed partial class InMemoryStore
{
    private readonly Dictionary<string, EvalRun> _evalRuns = new(StringComparer.Ordinal);

    public Task CreateEvalRunAsync(EvalRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_lock)
        {
            _evalRuns.Add(run.Id, run);
            return Task.CompletedTask;
        }
    }

    public Task<EvalRun?> GetEvalRunAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_evalRuns.GetValueOrDefault(id));
        }
    }

    public Task<EvalRun?> UpdateEvalRunAsync(string id, Func<EvalRun, EvalRun> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_lock)
        {
            if (!_evalRuns.TryGetValue(id, out var current))
            {
                return Task.FromResult<EvalRun?>(null);
            }

            _evalRuns[id] = change(current);
            return Task.FromResult<EvalRun?>(_evalRuns[id]);
        }
    }

    public Task<Page<EvalRun>> ListEvalRunsAsync(string? workspaceId, PageRequest page, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Paginate(
                _evalRuns.Values.Where(r => workspaceId is null || r.WorkspaceId == workspaceId).OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal).ToList(),
                page));
        }
    }
}
