using System.Text.Json;
using Lucid.Json;
using Lucid.Learning;
using Npgsql;
using static Lucid.Storage.Postgres.StoredValues;

namespace Lucid.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public Task CreateLearningPolicyAsync(LearningPolicy policy, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            ArgumentNullException.ThrowIfNull(policy);
            await connection.ExecuteAsync("INSERT INTO learning_policies (id, workspace_id, created_at, json) VALUES (@id, @workspace, @created, @json)",
                CancellationToken.None,
                ("@id", policy.Id), ("@workspace", policy.WorkspaceId), ("@created", Time(policy.CreatedAt)), ("@json", Json(policy)));
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateLearningPolicyAsync(LearningPolicy policy, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            ArgumentNullException.ThrowIfNull(policy);
            return await connection.ExecuteAsync("UPDATE learning_policies SET json = @json WHERE id = @id", CancellationToken.None,
                ("@id", policy.Id), ("@json", Json(policy))) > 0;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<LearningPolicy?> GetLearningPolicyAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync("SELECT json FROM learning_policies WHERE id = @id", ReadLearningPolicy, cancellationToken, ("@id", id));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LearningPolicy>> ListLearningPoliciesAsync(string? workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return workspaceId is null
            ? await connection.QueryAsync("SELECT json FROM learning_policies ORDER BY created_at, id", ReadLearningPolicy, cancellationToken)
            : await connection.QueryAsync("SELECT json FROM learning_policies WHERE workspace_id = @workspace ORDER BY created_at, id", ReadLearningPolicy, cancellationToken,
                ("@workspace", workspaceId));
    }

    /// <inheritdoc />
    public Task<bool> DeleteLearningPolicyAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
            await connection.ExecuteAsync("DELETE FROM learning_policies WHERE id = @id", CancellationToken.None, ("@id", id)) > 0, cancellationToken);

    private static string Json(LearningPolicy policy) => JsonSerializer.Serialize(policy, LucidJsonContext.Default.LearningPolicy);

    private static LearningPolicy ReadLearningPolicy(NpgsqlDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.LearningPolicy);
}
