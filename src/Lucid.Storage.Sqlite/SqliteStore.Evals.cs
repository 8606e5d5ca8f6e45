using System.Text.Json;
using Lucid.Evals;
using Lucid.Json;
using Microsoft.Data.Sqlite;
using static Lucid.Storage.Sqlite.StoredValues;

namespace Lucid.Storage.Sqlite;

public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public Task CreateEvalRunAsync(EvalRun run, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await connection.ExecuteAsync("INSERT INTO eval_runs (id, workspace_id, created_at, json) VALUES ($id, $workspace, $created, $json)", CancellationToken.None,
                ("$id", run.Id), ("$workspace", run.WorkspaceId), ("$created", Time(run.CreatedAt)), ("$json", JsonSerializer.Serialize(run, LucidJsonContext.Default.EvalRun)));
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<EvalRun?> GetEvalRunAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetEvalRunAsync(connection, id, cancellationToken);
    }

    private static Task<EvalRun?> GetEvalRunAsync(SqliteConnection connection, string id, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync("SELECT json FROM eval_runs WHERE id = $id", ReadEvalRun, cancellationToken, ("$id", id));

    /// <inheritdoc />
    public Task<EvalRun?> UpdateEvalRunAsync(string id, Func<EvalRun, EvalRun> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(async connection =>
        {
            if (await GetEvalRunAsync(connection, id, CancellationToken.None) is not { } current)
            {
                return null;
            }

            var next = change(current);
            await connection.ExecuteAsync("UPDATE eval_runs SET json = $json WHERE id = $id", CancellationToken.None,
                ("$id", id), ("$json", JsonSerializer.Serialize(next, LucidJsonContext.Default.EvalRun)));
            return next;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Page<EvalRun>> ListEvalRunsAsync(string? workspaceId, PageRequest page, CancellationToken cancellationToken)
    {
        var list = KeysetQuery.ByCreation("json", "eval_runs", page);
        if (workspaceId is not null)
        {
            list.Where("workspace_id = $workspace", ("$workspace", workspaceId));
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await list.ReadAsync(connection, ReadEvalRun, cancellationToken);
    }

    private static EvalRun ReadEvalRun(SqliteDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.EvalRun);
}
