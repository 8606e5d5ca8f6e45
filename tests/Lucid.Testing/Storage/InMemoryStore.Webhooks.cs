using Lucid.Storage;
using Lucid.Webhooks;

namespace Lucid.Testing.Storage;

public sealed partial class InMemoryStore
{
    private readonly Dictionary<string, WebhookEndpoint> _webhookEndpoints = new(StringComparer.Ordinal);
    private readonly List<WebhookDelivery> _webhookDeliveries = [];
    private long _webhookDeliveryNumber;

    /// <summary>The clock that stamps what the store records on its own (the time of a deletion's webhook event).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public Task CreateWebhookEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _webhookEndpoints.Add(endpoint.Id, endpoint);
        }

        return Task.CompletedTask;
    }

    public Task<bool> UpdateWebhookEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken) =>
        Task.FromResult(Replace(_webhookEndpoints, endpoint.Id, endpoint));

    public Task<WebhookEndpoint?> GetWebhookEndpointAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_webhookEndpoints.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<WebhookEndpoint>> ListWebhookEndpointsAsync(string workspaceId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<WebhookEndpoint>>([.. _webhookEndpoints.Values.Where(e => e.WorkspaceId == workspaceId)
                .OrderBy(e => e.CreatedAt).ThenBy(e => e.Id, StringComparer.Ordinal)]);
        }
    }

    public Task<bool> DeleteWebhookEndpointAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _webhookDeliveries.RemoveAll(d => d.EndpointId == id);
            return Task.FromResult(_webhookEndpoints.Remove(id));
        }
    }

    public Task<IReadOnlyList<(WebhookDelivery Delivery, WebhookEndpoint Endpoint)>> ClaimDueWebhookDeliveriesAsync(DateTimeOffset now, TimeSpan claimFor, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<(WebhookDelivery, WebhookEndpoint)>>([.. _webhookDeliveries
                .Where(d => d.State == WebhookDeliveryState.Pending && d.NextAttemptAt <= now && _webhookEndpoints.GetValueOrDefault(d.EndpointId) is { Enabled: true })
                .OrderBy(d => d.NextAttemptAt).Take(limit)
                .Select(d => (d, _webhookEndpoints[d.EndpointId]))]);
        }
    }

    public Task RecordWebhookAttemptAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var index = _webhookDeliveries.FindIndex(d => d.Number == delivery.Number);
            if (index >= 0)
            {
                _webhookDeliveries[index] = delivery;
            }
        }

        return Task.CompletedTask;
    }

    public Task<Page<WebhookDelivery>> ListWebhookDeliveriesAsync(string endpointId, PageRequest page, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Paginate(_webhookDeliveries.Where(d => d.EndpointId == endpointId).OrderByDescending(d => d.Number).ToList(), page));
        }
    }

    // One pending delivery per enabled endpoint subscribed to each event, as the SQLite outbox records them. Called under the lock.
    private void RecordWebhooks(IEnumerable<WebhookEvent> events)
    {
        foreach (var e in events)
        {
            foreach (var endpoint in _webhookEndpoints.Values.Where(p => p.WorkspaceId == e.WorkspaceId && p.Enabled && p.EnabledEvents.Contains(e.Type)))
            {
                if (!_webhookDeliveries.Any(d => d.EndpointId == endpoint.Id && d.Event.Id == e.Id))
                {
                    _webhookDeliveries.Add(new WebhookDelivery { Number = ++_webhookDeliveryNumber, EndpointId = endpoint.Id, Event = e, NextAttemptAt = e.CreatedAt });
                }
            }
        }
    }
}
