using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Storage;
using Lucid.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Webhooks;

/// <summary>
/// <c>/v1/lucid/webhooks</c> (a Lucid extension): a workspace's webhook endpoints, with the request and response
/// shapes of the SDK's organization webhook endpoints (create, list, retrieve, update, delete, regenerate the signing
/// secret), and each endpoint's delivery log.
/// </summary>
internal static class WebhookEndpoints
{
    public static RouteGroupBuilder MapWebhooks(this RouteGroupBuilder v1)
    {
        var webhooks = v1.MapGroup("/lucid/webhooks");
        webhooks.MapPost("", CreateAsync);
        webhooks.MapGet("", ListAsync);
        webhooks.MapGet("/{id}", async (HttpContext http, string id, WebhookService service) =>
            Answer(await service.GetAsync(ApiFilter.Workspace(http), EndpointId(id), http.RequestAborted)));
        webhooks.MapPost("/{id}", UpdateAsync);
        webhooks.MapDelete("/{id}", async (HttpContext http, string id, WebhookService service) =>
        {
            var deleted = await service.DeleteAsync(ApiFilter.Workspace(http), EndpointId(id), http.RequestAborted);
            return deleted.IsSuccess
                ? TypedResults.Json(new JsonObject { ["id"] = deleted.Value, ["type"] = "webhook_endpoint_deleted" })
                : ApiErrors.From(deleted.Error);
        });
        webhooks.MapPost("/{id}/regenerate_signing_secret", async (HttpContext http, string id, WebhookService service) =>
        {
            var changed = await service.RegenerateSecretAsync(ApiFilter.Workspace(http), EndpointId(id), http.RequestAborted);
            return changed.IsSuccess ? TypedResults.Json(new JsonObject { ["signing_secret"] = changed.Value!.SigningSecret }) : ApiErrors.From(changed.Error);
        });
        webhooks.MapGet("/{id}/deliveries", DeliveriesAsync);
        return v1;
    }

    private static string EndpointId(string id) => Requests.Id(id, IdPrefixes.WebhookEndpoint, "webhook_endpoint_id");

    private static IResult Answer(Result<WebhookEndpoint> result, bool withSecret = false) =>
        result.IsSuccess ? TypedResults.Json(WebhookWire.ToJson(result.Value!, withSecret)) : ApiErrors.From(result.Error);

    private static async Task<IResult> CreateAsync(HttpContext http, WebhookService service)
    {
        var body = await Requests.BodyAsync(http.Request);
        var draft = new WebhookDraft
        {
            Url = body.RequiredString("url", 2048),
            Name = body.String("name", 256) ?? "",
            Description = body.String("description", 2048) ?? "",
            EnabledEvents = EventTypes(body) ?? throw RequestException.Invalid("enabled_events", "enabled_events is required."),
        };
        return Answer(await service.CreateAsync(ApiFilter.Workspace(http), draft, http.RequestAborted), withSecret: true);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string id, WebhookService service)
    {
        EndpointId(id);
        var body = await Requests.BodyAsync(http.Request);
        var url = body.String("url", 2048);
        var name = body.String("name", 256);
        var description = body.String("description", 2048);
        // An empty list leaves the types unchanged, as the SDK documents.
        var events = EventTypes(body) is { Count: > 0 } types ? types : null;
        var state = body.String("state");
        if (state is not (null or "enabled" or "disabled"))
        {
            throw RequestException.Invalid("state", $"state must be enabled or disabled, not '{state}'.");
        }

        var updated = await service.UpdateAsync(ApiFilter.Workspace(http), id, current => current with
        {
            Url = url ?? current.Url,
            Name = name ?? current.Name,
            Description = description ?? current.Description,
            EnabledEvents = events ?? current.EnabledEvents,
            Enabled = state is null ? current.Enabled : state == "enabled",
        }, http.RequestAborted);
        return Answer(updated);
    }

    private static async Task<IResult> ListAsync(HttpContext http, ILucidStore store)
    {
        var request = http.Request;
        var limit = Requests.Int(request, "limit", 0, 100) is { } l and > 0 ? l : 20;
        var order = request.Query["order"].ToString();
        if (order is not ("" or "asc" or "desc"))
        {
            throw RequestException.Invalid("order", "order must be asc or desc.");
        }

        var all = await store.ListWebhookEndpointsAsync(ApiFilter.Workspace(http), http.RequestAborted);
        var sorted = order == "asc" ? all : [.. all.Reverse()];
        var afterId = request.Query["after_id"].ToString();
        var beforeId = request.Query["before_id"].ToString();
        var ids = sorted.Select(e => e.Id).ToList();
        // after_id: the page just after the cursor; before_id: the first endpoints that come before it.
        var page = afterId.Length > 0 ? sorted.Skip(Cursor(ids, afterId, "after_id") + 1)
            : beforeId.Length > 0 ? sorted.Take(Cursor(ids, beforeId, "before_id"))
            : sorted;
        var items = page.ToList();
        var shown = items.Take(limit).ToList();
        return TypedResults.Json(new JsonObject
        {
            ["data"] = new JsonArray([.. shown.Select(e => (JsonNode)WebhookWire.ToJson(e))]),
            ["has_more"] = items.Count > limit,
            ["first_id"] = shown.FirstOrDefault()?.Id,
            ["last_id"] = shown.LastOrDefault()?.Id,
        });
    }

    private static int Cursor(List<string> ids, string id, string parameter) =>
        ids.IndexOf(id) is >= 0 and var index ? index : throw RequestException.Invalid(parameter, $"{parameter} '{id}' is not a webhook endpoint of this workspace.");

    private static async Task<IResult> DeliveriesAsync(HttpContext http, string id, WebhookService service, ILucidStore store)
    {
        var endpoint = await service.GetAsync(ApiFilter.Workspace(http), EndpointId(id), http.RequestAborted);
        if (!endpoint.IsSuccess)
        {
            return ApiErrors.From(endpoint.Error);
        }

        var page = await Requests.PageAsync(() => store.ListWebhookDeliveriesAsync(id, Requests.Page(http.Request), http.RequestAborted));
        return TypedResults.Json(Wire.Page(page, WebhookWire.ToJson));
    }

    private static List<string>? EventTypes(WireObject body) => body.Has("enabled_events") && !body.IsNull("enabled_events")
        ? [.. body.Array("enabled_events", 100).Select(e => e.Item.ValueKind == JsonValueKind.String ? e.Item.GetString()! : throw RequestException.Invalid(e.Path, $"{e.Path} must be an event type string."))]
        : null;
}
