using System.Text.Json;
using Lucid.Json;
using Lucid.Webhooks;
using Npgsql;
using static Lucid.Storage.Postgres.StoredValues;

namespace Lucid.Storage.Postgres;

/// <summary>
/// Records webhook events inside the writer's transaction: one pending delivery per enabled endpoint of the event's
/// workspace subscribed to its type, and the event itself when any delivery was made. Endpoints are read in the
/// transaction every time (another process may have changed them), one statement per event.
/// </summary>
internal static class WebhookOutbox
{
    public static async Task RecordAsync(NpgsqlConnection connection, IEnumerable<WebhookEvent> events)
    {
        foreach (var e in events)
        {
            await connection.ExecuteAsync("""
                WITH deliveries AS (
                    INSERT INTO webhook_deliveries (endpoint_id, event_id, state, attempts, next_attempt_at)
                    SELECT id, @event, 'pending', 0, @at FROM webhook_endpoints
                    WHERE workspace_id = @workspace AND enabled
                      AND jsonb_path_exists(json::jsonb, '$.enabled_events[*] ? (@ == $type)', jsonb_build_object('type', @type::text))
                    ON CONFLICT DO NOTHING
                    RETURNING 1)
                INSERT INTO webhook_events (id, json) SELECT @event, @json WHERE EXISTS (SELECT 1 FROM deliveries)
                ON CONFLICT DO NOTHING
                """, CancellationToken.None,
                ("@event", e.Id), ("@at", Time(e.CreatedAt)), ("@workspace", e.WorkspaceId), ("@type", e.Type),
                ("@json", JsonSerializer.Serialize(e, LucidJsonContext.Default.WebhookEvent)));
        }
    }
}
