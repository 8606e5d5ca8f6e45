using Lucid.Webhooks;

namespace Lucid.Storage;

/// <summary>
/// Persists webhook endpoints and the outbox of their deliveries. A store records the webhook events of its own
/// changes (see <see cref="WebhookTriggers"/>) in the transaction that writes them, fanned out to one pending delivery
/// per enabled endpoint of the workspace subscribed to the event's type.
/// </summary>
public interface IWebhookStore
{
    /// <summary>Stores a new endpoint.</summary>
    Task CreateWebhookEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken);

    /// <summary>Replaces a stored endpoint. Returns false when absent.</summary>
    Task<bool> UpdateWebhookEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken);

    /// <summary>Returns an endpoint, or null.</summary>
    Task<WebhookEndpoint?> GetWebhookEndpointAsync(string id, CancellationToken cancellationToken);

    /// <summary>A workspace's endpoints (at most <see cref="WebhookService.MaxEndpoints"/>), oldest first.</summary>
    Task<IReadOnlyList<WebhookEndpoint>> ListWebhookEndpointsAsync(string workspaceId, CancellationToken cancellationToken);

    /// <summary>Deletes an endpoint and its deliveries. Returns false when absent.</summary>
    Task<bool> DeleteWebhookEndpointAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the pending deliveries due at <paramref name="now"/> to enabled endpoints, oldest due first, with their
    /// endpoints, to send them. A store that several processes share claims each for <paramref name="claimFor"/>: no
    /// other process takes it until its attempt is recorded or the claim runs out (its sender died). A store that one
    /// process serves has nobody to keep it from, and claims nothing.
    /// </summary>
    Task<IReadOnlyList<(WebhookDelivery Delivery, WebhookEndpoint Endpoint)>> ClaimDueWebhookDeliveriesAsync(DateTimeOffset now, TimeSpan claimFor, int limit, CancellationToken cancellationToken);

    /// <summary>Records an attempt's result (state, attempts, next attempt, last status, error and response) on a delivery.</summary>
    Task RecordWebhookAttemptAsync(WebhookDelivery delivery, CancellationToken cancellationToken);

    /// <summary>An endpoint's deliveries, newest first: its delivery log.</summary>
    Task<Page<WebhookDelivery>> ListWebhookDeliveriesAsync(string endpointId, PageRequest page, CancellationToken cancellationToken);
}
