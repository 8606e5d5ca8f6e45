using System.Text.Json;
using Lucid.Json;
using Lucid.Webhooks;
using Npgsql;
using static Lucid.Storage.Postgres.StoredValues;

namespace Lucid.Storage.Postgres;

public sealed partial class PostgresStore
{
    private const string DeliveryColumns =
        "d.number, d.endpoint_id, d.state, d.attempts, d.next_attempt_at, d.last_attempt_at, d.last_status, d.last_error, d.last_response, e.json";

    /// <inheritdoc />
    public Task CreateWebhookEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            ArgumentNullException.ThrowIfNull(endpoint);
            await connection.ExecuteAsync("INSERT INTO webhook_endpoints (id, workspace_id, enabled, created_at, json) VALUES (@id, @workspace, @enabled, @created, @json)",
                CancellationToken.None,
                ("@id", endpoint.Id), ("@workspace", endpoint.WorkspaceId), ("@enabled", endpoint.Enabled), ("@created", Time(endpoint.CreatedAt)),
                ("@json", JsonSerializer.Serialize(endpoint, LucidJsonContext.Default.WebhookEndpoint)));
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateWebhookEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            ArgumentNullException.ThrowIfNull(endpoint);
            return await connection.ExecuteAsync("UPDATE webhook_endpoints SET enabled = @enabled, json = @json WHERE id = @id", CancellationToken.None,
                ("@id", endpoint.Id), ("@enabled", endpoint.Enabled), ("@json", JsonSerializer.Serialize(endpoint, LucidJsonContext.Default.WebhookEndpoint))) > 0;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<WebhookEndpoint?> GetWebhookEndpointAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync("SELECT json FROM webhook_endpoints WHERE id = @id", ReadEndpoint, cancellationToken, ("@id", id));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookEndpoint>> ListWebhookEndpointsAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QueryAsync("SELECT json FROM webhook_endpoints WHERE workspace_id = @workspace ORDER BY created_at, id", ReadEndpoint, cancellationToken,
            ("@workspace", workspaceId));
    }

    /// <inheritdoc />
    public Task<bool> DeleteWebhookEndpointAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var none = CancellationToken.None;
            await connection.ExecuteAsync("DELETE FROM webhook_deliveries WHERE endpoint_id = @id", none, ("@id", id));
            // Events no other endpoint still has to receive or show in its log.
            await connection.ExecuteAsync("DELETE FROM webhook_events WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries WHERE event_id = webhook_events.id)", none);
            return await connection.ExecuteAsync("DELETE FROM webhook_endpoints WHERE id = @id", none, ("@id", id)) > 0;
        }, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// The claim is <c>claimed_until</c>, set in the writer's transaction on rows locked with <c>FOR UPDATE … SKIP
    /// LOCKED</c>: another server's claim running at the same moment skips them, and once this one commits, sees them
    /// claimed.
    /// </remarks>
    public Task<IReadOnlyList<(WebhookDelivery Delivery, WebhookEndpoint Endpoint)>> ClaimDueWebhookDeliveriesAsync(
        DateTimeOffset now, TimeSpan claimFor, int limit, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<(WebhookDelivery, WebhookEndpoint)>>(async connection => await connection.QueryAsync(
            $"""
            WITH due AS (
                SELECT d.number FROM webhook_deliveries d JOIN webhook_endpoints p ON p.id = d.endpoint_id
                WHERE d.state = 'pending' AND d.next_attempt_at <= @now AND (d.claimed_until IS NULL OR d.claimed_until <= @now) AND p.enabled
                ORDER BY d.next_attempt_at LIMIT @limit
                FOR UPDATE OF d SKIP LOCKED),
            claimed AS (
                UPDATE webhook_deliveries d SET claimed_until = @until FROM due WHERE d.number = due.number RETURNING d.*)
            SELECT {DeliveryColumns}, p.json FROM claimed d
            JOIN webhook_events e ON e.id = d.event_id JOIN webhook_endpoints p ON p.id = d.endpoint_id
            ORDER BY d.next_attempt_at, d.number
            """,
            r => (ReadDelivery(r), ReadJson(r, 10, LucidJsonContext.Default.WebhookEndpoint)), CancellationToken.None,
            ("@now", Time(now)), ("@until", Time(now + claimFor)), ("@limit", limit)), cancellationToken);

    /// <inheritdoc />
    public Task RecordWebhookAttemptAsync(WebhookDelivery delivery, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            ArgumentNullException.ThrowIfNull(delivery);
            return connection.ExecuteAsync(
                """
                UPDATE webhook_deliveries SET state = @state, attempts = @attempts, next_attempt_at = @next, last_attempt_at = @last,
                    last_status = @status, last_error = @error, last_response = @response, claimed_until = NULL
                WHERE number = @number
                """,
                CancellationToken.None,
                ("@number", delivery.Number), ("@state", WebhookDeliveryStates.Name(delivery.State)), ("@attempts", delivery.Attempts),
                ("@next", Time(delivery.NextAttemptAt)), ("@last", Time(delivery.LastAttemptAt)), ("@status", delivery.LastStatus),
                ("@error", Text(delivery.LastError)), ("@response", Text(delivery.LastResponse)));
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<Page<WebhookDelivery>> ListWebhookDeliveriesAsync(string endpointId, PageRequest page, CancellationToken cancellationToken)
    {
        var list = KeysetQuery.ByNumber(DeliveryColumns, "webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id", "d.number", page, descending: true)
            .Where("d.endpoint_id = @endpoint", ("@endpoint", endpointId));
        await using var connection = await OpenAsync(cancellationToken);
        return await list.ReadAsync(connection, ReadDelivery, cancellationToken);
    }

    private static WebhookEndpoint ReadEndpoint(NpgsqlDataReader reader) => ReadJson(reader, 0, LucidJsonContext.Default.WebhookEndpoint);

    private static WebhookDelivery ReadDelivery(NpgsqlDataReader reader) => new()
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
