using Lucid.Dreams;

namespace Lucid.Storage;

/// <summary>Persists dreams.</summary>
public interface IDreamStore
{
    /// <summary>
    /// Stores a new dream, unless it holds a store (<see cref="Dream.HeldStoreId"/>) that another pending or running dream
    /// already holds: then nothing is stored and that dream's ID is returned. The check and the insert are one atomic step.
    /// </summary>
    /// <returns>Null when stored; otherwise the ID of the dream holding the store.</returns>
    Task<string?> CreateDreamAsync(Dream dream, CancellationToken cancellationToken);

    /// <summary>A dream by ID, or null.</summary>
    Task<Dream?> GetDreamAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Changes a dream atomically: <paramref name="change"/> sees the stored dream and returns its next state, or null to
    /// leave it as it is. Returns the dream as stored afterwards, or null when it does not exist.
    /// </summary>
    Task<Dream?> UpdateDreamAsync(string id, Func<Dream, Dream?> change, CancellationToken cancellationToken);

    /// <summary>
    /// Lists dreams newest first: a workspace's, or every workspace's when <paramref name="workspaceId"/> is null.
    /// </summary>
    Task<Page<Dream>> ListDreamsAsync(string? workspaceId, DreamQuery query, PageRequest page, CancellationToken cancellationToken);
}
