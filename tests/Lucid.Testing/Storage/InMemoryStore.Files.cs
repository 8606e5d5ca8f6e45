using Lucid.Files;
using Lucid.Storage;

namespace Lucid.Testing.Storage;

public sealed partial class InMemoryStore
{
    private readonly Dictionary<string, StoredFile> _files = new(StringComparer.Ordinal);

    public Task CreateFileAsync(StoredFile file, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Like the real stores' unique key.
            if (!_files.TryAdd(file.Id, file))
            {
                throw new InvalidOperationException($"File '{file.Id}' already exists.");
            }
        }

        return Task.CompletedTask;
    }

    public Task<StoredFile?> GetFileAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_files.GetValueOrDefault(id));
        }
    }

    public Task<Page<StoredFile>> ListFilesAsync(string workspaceId, string? scopeSessionId, PageRequest page, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Paginate(
                _files.Values.Where(f => f.WorkspaceId == workspaceId && (scopeSessionId is null || f.ScopeSessionId == scopeSessionId))
                    .OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Id, StringComparer.Ordinal).ToList(),
                page));
        }
    }

    public Task<bool> DeleteFileAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_files.Remove(id));
        }
    }

    public Task<bool> BlobInUseAsync(string sha256, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_files.Values.Any(f => f.ContentSha256 == sha256)
                || _skillVersions.Values.SelectMany(v => v).SelectMany(v => v.Files).Any(f => f.ContentSha256 == sha256));
        }
    }
}
