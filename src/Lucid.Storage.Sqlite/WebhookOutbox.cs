using System.Text.Json;
using Lucid.Json;
using Lucid.Webhooks;
using Microsoft.Data.Sqlite;
using static Lucid.Storage.Sqlite.StoredValues;

namespace Lucid.Storage.Sqlite;

/// <summary>
/// Records webhook events inside the writer's transaction: one pending delivery per enabled endpoint of the event's
/// workspace subscribed to its type, and the event itself when any delivery was made. The workspaces that have enabled
/// endpoints are remembered, so an append in a workspace without any costs one set lookup. Used only from the writer's loop.
/// </summary>
internal sealed class WebhookOutbox
{
    private HashSet<string>? _subscribed;
    private long? _dataVersion;

    /// <summary>Forgets the remembered workspaces; called after any endpoint is written (a rolled-back write only makes the set larger than needed).</summary>
    public void EndpointsChanged() => _subscribed = null;

    /// <summary>A group began; when another process wrote since the last one, its endpoints may have changed.</summary>
    public void GroupBegan(long dataVersion)
    {
        if (_dataVersion != dataVersion)
        {
            _subscribed = null;
        }

        _dataVersion = dataVersion;
    }

    /// <summary>Whether the workspace has an enabled endpoint: when it has none, its webhook events need not even be made.</summary>
    public bool Watches(SqliteConnection connection, string workspaceId) => Subscribed(connection).Contains(workspaceId);

    public void Record(SqliteConnection connection, IEnumerable<WebhookEvent> events)
    {
        foreach (var e in events)
        {
            if (!Subscribed(connection).Contains(e.WorkspaceId))
            {
                continue;
            }

            using var fanOut = connection.CreateCommand();
            fanOut.CommandText = """
                INSERT OR IGNORE INTO webhook_deliveries (endpoint_id, event_id, state, attempts, next_attempt_at)
                SELECT id, $event, 'pending', 0, $at FROM webhook_endpoints
                WHERE workspace_id = $workspace AND enabled = 1
                  AND EXISTS (SELECT 1 FROM json_each(webhook_endpoints.json, '$.enabled_events') WHERE value = $type)
                """;
            fanOut.Parameters.AddWithValue("$event", e.Id);
            fanOut.Parameters.AddWithValue("$at", Time(e.CreatedAt));
            fanOut.Parameters.AddWithValue("$workspace", e.WorkspaceId);
            fanOut.Parameters.AddWithValue("$type", e.Type);
            if (fanOut.ExecuteNonQuery() == 0)
            {
                continue;
            }

            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT OR IGNORE INTO webhook_events (id, json) VALUES ($id, $json)";
            insert.Parameters.AddWithValue("$id", e.Id);
            insert.Parameters.AddWithValue("$json", JsonSerializer.Serialize(e, LucidJsonContext.Default.WebhookEvent));
            insert.ExecuteNonQuery();
        }
    }

    private HashSet<string> Subscribed(SqliteConnection connection)
    {
        if (_subscribed is { } known)
        {
            return known;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT workspace_id FROM webhook_endpoints WHERE enabled = 1";
        using var reader = command.ExecuteReader();
        var workspaces = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            workspaces.Add(reader.GetString(0));
        }

        return _subscribed = workspaces;
    }
}
