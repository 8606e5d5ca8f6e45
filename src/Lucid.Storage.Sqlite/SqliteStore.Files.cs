using System.Text.Json;
using Lucid.Files;
using Lucid.Json;
using Microsoft.Data.Sqlite;
using static Lucid.Storage.Sqlite.StoredValues;

namespace Lucid.Storage.Sqlite;

// Files' metadata; their bytes are in the blob store, keyed by content_sha256.
public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public Task CreateFileAsync(StoredFile file, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
            connection.ExecuteAsync("INSERT INTO files (id, workspace_id, scope_id, content_sha256, created_at, json) VALUES ($id, $workspace, $scope, $sha, $created, $json)",
                CancellationToken.None,
                ("$id", file.Id), ("$workspace", file.WorkspaceId), ("$scope", file.ScopeSessionId), ("$sha", file.ContentSha256),
                ("$created", Time(file.CreatedAt)), ("$json", JsonSerializer.Serialize(file, LucidJsonContext.Default.StoredFile))),
            cancellationToken);

    /// <inheritdoc />
    public async Task<StoredFile?> GetFileAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync("SELECT json FROM files WHERE id = $id", ReadFile, cancellationToken, ("$id", id));
    }

    /// <inheritdoc />
    public async Task<Page<StoredFile>> ListFilesAsync(string workspaceId, string? scopeSessionId, PageRequest page, CancellationToken cancellationToken)
    {
        var query = KeysetQuery.ByCreation("json", "files", page).Where("workspace_id = $workspace", ("$workspace", workspaceId));
        if (scopeSessionId is not null)
        {
            query.Where("scope_id = $scope", ("$scope", scopeSessionId));
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await query.ReadAsync(connection, ReadFile, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteFileAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(async connection => await connection.ExecuteAsync("DELETE FROM files WHERE id = $id", CancellationToken.None, ("$id", id)) > 0, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> BlobInUseAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ScalarAsync("SELECT EXISTS (SELECT 1 FROM files WHERE content_sha256 = $sha) OR EXISTS (SELECT 1 FROM skill_files WHERE content_sha256 = $sha)", cancellationToken, ("$sha", sha256)) is long and not 0;
    }

    private static StoredFile ReadFile(SqliteDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.StoredFile);
}
