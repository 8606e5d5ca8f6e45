using System.Text.Json;
using Lucid.Json;
using Lucid.Webhooks;
using Microsoft.Data.Sqlite;
using static Lucid.Storage.Sqlite.StoredValues;

namespace Lucid.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private const string DeliveryColumns =
        "d.number, d.endpoint_id, d.state, d.attempts, d.next_attempt_at, d.last_attempt_at, d.last_status, d.last_error, d.last_response, e.json";

    /// <inheritdoc />
    public Task CreateWebhookEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            ArgumentNullException.ThrowIfNull(endpoint);
            await connection.ExecuteAsync("INSERT INTO webhook_endpoints (id, workspace_id, enabled, created_at, json) VALUES ($id, $workspace, $enabled, $created, $json)",
                CancellationToken.None,
                ("$id", endpoint.Id), ("$workspace", endpoint.WorkspaceId), ("$enabled", endpoint.Enabled), ("$created", Time(endpoint.CreatedAt)),
                ("$json", JsonSerializer.Serialize(endpoint, LucidJsonContext.Default.WebhookEndpoint)));
            _writer.Outbox.EndpointsChanged();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateWebhookEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            ArgumentNullException.ThrowIfNull(endpoint);
            _writer.Outbox.EndpointsChanged();
            return await connection.ExecuteAsync("UPDATE webhook_endpoints SET enabled = $enabled, json = $json WHERE id = $id", CancellationToken.None,
                ("$id", endpoint.Id), ("$enabled", endpoint.Enabled), ("$json", JsonSerializer.Serialize(endpoint, LucidJsonContext.Default.WebhookEndpoint))) > 0;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<WebhookEndpoint?> GetWebhookEndpointAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync("SELECT json FROM webhook_endpoints WHERE id = $id", ReadEndpoint, cancellationToken, ("$id", id));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookEndpoint>> ListWebhookEndpointsAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QueryAsync("SELECT json FROM webhook_endpoints WHERE workspace_id = $workspace ORDER BY created_at, id", ReadEndpoint, cancellationToken,
            ("$workspace", workspaceId));
    }

    /// <inheritdoc />
    public Task<bool> DeleteWebhookEndpointAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var none = CancellationToken.None;
            _writer.Outbox.EndpointsChanged();
            await connection.ExecuteAsync("DELETE FROM webhook_deliveries WHERE endpoint_id = $id", none, ("$id", id));
            // Events no other endpoint still has to receive or show in its log.
            await connection.ExecuteAsync("DELETE FROM webhook_events WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries WHERE event_id = webhook_events.id)", none);
            return await connection.ExecuteAsync("DELETE FROM webhook_endpoints WHERE id = $id", none, ("$id", id)) > 0;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<(WebhookDelivery Delivery, WebhookEndpoint Endpoint)>> ClaimDueWebhookDeliveriesAsync(DateTimeOffset now, TimeSpan claimFor, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QueryAsync(
            $"""
            SELECT {DeliveryColumns}, p.json FROM webhook_deliveries d
            JOIN webhook_events e ON e.id = d.event_id JOIN webhook_endpoints p ON p.id = d.endpoint_id
            WHERE d.state = 'pending' AND d.next_attempt_at <= $now AND p.enabled = 1
            ORDER BY d.next_attempt_at LIMIT $limit
            """,
            r => (ReadDelivery(r), ReadJson(r, 10, LucidJsonContext.Default.WebhookEndpoint)), cancellationToken, ("$now", Time(now)), ("$limit", limit));
    }

    /// <inheritdoc />
    public Task RecordWebhookAttemptAsync(WebhookDelivery delivery, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            ArgumentNullException.ThrowIfNull(delivery);
            return connection.ExecuteAsync(
                """
                UPDATE webhook_deliveries SET state = $state, attempts = $attempts, next_attempt_at = $next, last_attempt_at = $last,
                    last_status = $status, last_error = $error, last_response = $response
                WHERE number = $number
                """,
                CancellationToken.None,
                ("$number", delivery.Number), ("$state", WebhookDeliveryStates.Name(delivery.State)), ("$attempts", delivery.Attempts),
                ("$next", Time(delivery.NextAttemptAt)), ("$last", Time(delivery.LastAttemptAt)), ("$status", delivery.LastStatus),
                ("$error", delivery.LastError), ("$response", delivery.LastResponse));
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<Page<WebhookDelivery>> ListWebhookDeliveriesAsync(string endpointId, PageRequest page, CancellationToken cancellationToken)
    {
        var list = KeysetQuery.ByNumber(DeliveryColumns, "webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id", "d.number", page, descending: true)
            .Where("d.endpoint_id = $endpoint", ("$endpoint", endpointId));
        await using var connection = await OpenAsync(cancellationToken);
        return await list.ReadAsync(connection, ReadDelivery, cancellationToken);
    }

    private static WebhookEndpoint ReadEndpoint(SqliteDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.WebhookEndpoint);

    private static WebhookDelivery ReadDelivery(SqliteDataReader reader) => new()
    {
        Number = reader.GetInt64(0),
        EndpointId = reader.GetString(1),
        State = WebhookDeliveryStates.Parse(reader.GetString(2)),
        Attempts = reader.GetInt32(3),
        NextAttemptAt = ReadTime(reader, 4),
        LastAttemptAt = ReadTime(reader, 5),
        LastStatus = reader.IsDBNull(6) ? null : reader.GetInt32(6),
        LastError = reader.IsDBNull(7) ? null : reader.GetString(7),
        LastResponse = reader.IsDBNull(8) ? null : reader.GetString(8),
        Event = ReadJson(reader, 9, LucidJsonContext.Default.WebhookEvent),
    };
}
