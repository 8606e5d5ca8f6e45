using Lucid.Dreams;
using Lucid.Storage;

namespace Lucid.Testing.Storage;

public sealed partial class InMemoryStore
{
    private readonly Dictionary<string, Dream> _dreams = new(StringComparer.Ordinal);

    public Task<string?> CreateDreamAsync(Dream dream, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (dream.HeldStoreId is { } held
                && _dreams.Values.FirstOrDefault(d => d.HeldStoreId == held && d.Status is DreamStatus.Pending or DreamStatus.Running) is { } holder)
            {
                return Task.FromResult<string?>(holder.Id);
            }

            _dreams.Add(dream.Id, dream);
            return Task.FromResult<string?>(null);
        }
    }

    public Task<Dream?> GetDreamAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_dreams.GetValueOrDefault(id));
        }
    }

    public Task<Dream?> UpdateDreamAsync(string id, Func<Dream, Dream?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_lock)
        {
            if (!_dreams.TryGetValue(id, out var current))
            {
                return Task.FromResult<Dream?>(null);
            }

            if (change(current) is { } next)
            {
                _dreams[id] = next;
                current = next;
            }

            return Task.FromResult<Dream?>(current);
        }
    }

    public Task<Page<Dream>> ListDreamsAsync(string? workspaceId, DreamQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_lock)
        {
            return Task.FromResult(Paginate(
                _dreams.Values.Where(d => (workspaceId is null || d.WorkspaceId == workspaceId) && query.Matches(d))
                    .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id, StringComparer.Ordinal).ToList(),
                page));
        }
    }
}
