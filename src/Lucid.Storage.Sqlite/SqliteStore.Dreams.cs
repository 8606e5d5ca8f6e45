using System.Globalization;
using System.Text;
using System.Text.Json;
using Lucid.Dreams;
using Lucid.Json;
using Microsoft.Data.Sqlite;

namespace Lucid.Storage.Sqlite;

public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public Task<string?> CreateDreamAsync(Dream dream, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            if (dream.HeldStoreId is { } held)
            {
                var holder = await Scalar(connection, "SELECT id FROM dreams WHERE held_store_id = $store AND status IN ($pending, $running) LIMIT 1",
                    cancellationToken, transaction, ("$store", held), ("$pending", DreamStatus.Pending.ToWire()), ("$running", DreamStatus.Running.ToWire()));
                if (holder is string id)
                {
                    return id;
                }
            }

            await Execute(connection, """
                INSERT INTO dreams (id, workspace_id, status, held_store_id, created_at, archived_at, json)
                VALUES ($id, $workspace, $status, $held, $created, $archived, $json)
                """, cancellationToken, transaction,
                ("$id", dream.Id), ("$workspace", dream.WorkspaceId), ("$status", dream.Status.ToWire()), ("$held", dream.HeldStoreId),
                ("$created", Time(dream.CreatedAt)), ("$archived", Time(dream.ArchivedAt)), ("$json", JsonSerializer.Serialize(dream, LucidJsonContext.Default.Dream)));
            return (string?)null;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<Dream?> GetDreamAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetDreamAsync(connection, null, id, cancellationToken);
    }

    private static async Task<Dream?> GetDreamAsync(SqliteConnection connection, SqliteTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        var rows = await Query(connection, transaction, "SELECT json FROM dreams WHERE id = $id", r => Deserialize(r.GetString(0), LucidJsonContext.Default.Dream),
            cancellationToken, ("$id", id));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public Task<Dream?> UpdateDreamAsync(string id, Func<Dream, Dream?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(async (connection, transaction) =>
        {
            var current = await GetDreamAsync(connection, transaction, id, cancellationToken);
            if (current is null || change(current) is not { } next)
            {
                return current;
            }

            await Execute(connection, "UPDATE dreams SET status = $status, archived_at = $archived, json = $json WHERE id = $id", cancellationToken, transaction,
                ("$id", id), ("$status", next.Status.ToWire()), ("$archived", Time(next.ArchivedAt)),
                ("$json", JsonSerializer.Serialize(next, LucidJsonContext.Default.Dream)));
            return next;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Page<Dream>> ListDreamsAsync(string? workspaceId, DreamQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (afterCreated, afterId) = Keyset.Decode(page.PageCursor);
        var where = new StringBuilder(workspaceId is null ? "1 = 1" : "workspace_id = $workspace");
        var parameters = new List<(string, object?)> { ("$workspace", workspaceId), ("$limit", Limit(page) + 1) };
        if (!query.IncludeArchived)
        {
            where.Append(" AND archived_at IS NULL");
        }

        if (query.Statuses is { Count: > 0 } statuses)
        {
            where.Append(" AND status IN (").AppendJoin(", ", statuses.Select((_, i) => $"$status{i}")).Append(')');
            parameters.AddRange(statuses.Select((s, i) => ($"$status{i}", (object?)s.ToWire())));
        }

        TimeBounds(where, parameters, "created_at", query.CreatedAfter, null, query.CreatedBefore, null);
        if (afterCreated is not null)
        {
            where.Append(CultureInfo.InvariantCulture, $" AND (created_at < $created OR (created_at = $created AND id < $after))");
            parameters.Add(("$created", afterCreated));
            parameters.Add(("$after", afterId));
        }

        await using var connection = await OpenAsync(cancellationToken);
        var rows = await Query(connection, $"SELECT json FROM dreams WHERE {where} ORDER BY created_at DESC, id DESC LIMIT $limit",
            r => Deserialize(r.GetString(0), LucidJsonContext.Default.Dream), cancellationToken, [.. parameters]);
        return Keyset.Page(rows, Limit(page), d => Keyset.Encode(Time(d.CreatedAt), d.Id));
    }

}
