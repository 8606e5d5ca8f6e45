using System.Text.Json.Nodes;
using Lucid.Server.Http;
using Lucid.Webhooks;

namespace Lucid.Server.Webhooks;

/// <summary>Webhook endpoints and deliveries as JSON: endpoints in the shape of the SDK's organization webhook endpoint.</summary>
internal static class WebhookWire
{
    public static JsonObject ToJson(WebhookEndpoint endpoint, bool withSecret = false)
    {
        var json = new JsonObject
        {
            ["id"] = endpoint.Id,
            ["url"] = endpoint.Url,
            ["name"] = endpoint.Name,
            ["description"] = endpoint.Description,
            ["enabled_events"] = new JsonArray([.. endpoint.EnabledEvents.Select(e => (JsonNode)e)]),
            ["state"] = endpoint.Enabled ? "enabled" : "disabled",
            ["disabled_reason"] = endpoint.DisabledReason,
            ["created_at"] = Wire.Time(endpoint.CreatedAt),
            ["updated_at"] = Wire.Time(endpoint.UpdatedAt),
        };
        if (withSecret)
        {
            json["signing_secret"] = endpoint.SigningSecret;
        }

        return json;
    }

    public static JsonObject ToJson(WebhookDelivery delivery) => new()
    {
        ["type"] = "webhook_delivery",
        ["event_id"] = delivery.Event.Id,
        ["event_type"] = delivery.Event.Type,
        ["resource_id"] = delivery.Event.ResourceId,
        ["created_at"] = Wire.Time(delivery.Event.CreatedAt),
        ["state"] = WebhookDeliveryStates.Name(delivery.State),
        ["attempts"] = delivery.Attempts,
        ["next_attempt_at"] = Wire.Time(delivery.NextAttemptAt),
        ["last_attempt_at"] = Wire.Time(delivery.LastAttemptAt),
        ["last_status"] = delivery.LastStatus,
        ["last_error"] = delivery.LastError,
        ["last_response"] = delivery.LastResponse,
    };
}
