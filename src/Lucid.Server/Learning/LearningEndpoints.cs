using System.Text.Json.Nodes;
using Lucid.Ids;
using Lucid.Learning;
using Lucid.Results;
using Lucid.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Learning;

/// <summary>
/// <c>/v1/lucid/learning_policies</c> (a Lucid extension): when a deployment's graded sessions are dreamed over into
/// the memory store its sessions mount — create, list, retrieve, update, delete.
/// </summary>
internal static class LearningEndpoints
{
    public static RouteGroupBuilder MapLearningPolicies(this RouteGroupBuilder v1)
    {
        var policies = v1.MapGroup("/lucid/learning_policies");
        policies.MapPost("", async (HttpContext http, LearningService service) =>
            Answer(await service.CreateAsync(ApiFilter.Workspace(http), await DraftAsync(http, creating: true), http.RequestAborted)));
        policies.MapGet("", async (HttpContext http, LearningService service) =>
        {
            var all = await service.ListAsync(ApiFilter.Workspace(http), http.RequestAborted);
            return TypedResults.Json(new JsonObject { ["data"] = new JsonArray([.. all.Select(p => (JsonNode)ToJson(p))]) });
        });
        policies.MapGet("/{id}", async (HttpContext http, string id, LearningService service) =>
            Answer(await service.GetAsync(ApiFilter.Workspace(http), PolicyId(id), http.RequestAborted)));
        policies.MapPost("/{id}", async (HttpContext http, string id, LearningService service) =>
        {
            PolicyId(id);
            return Answer(await service.UpdateAsync(ApiFilter.Workspace(http), id, await DraftAsync(http, creating: false), http.RequestAborted));
        });
        policies.MapDelete("/{id}", async (HttpContext http, string id, LearningService service) =>
        {
            var deleted = await service.DeleteAsync(ApiFilter.Workspace(http), PolicyId(id), http.RequestAborted);
            return deleted.IsSuccess
                ? TypedResults.Json(new JsonObject { ["id"] = deleted.Value!.Id, ["type"] = "learning_policy_deleted" })
                : ApiErrors.From(deleted.Error);
        });
        return v1;
    }

    private static string PolicyId(string id) => Requests.Id(id, IdPrefixes.LearningPolicy, "learning_policy_id");

    private static IResult Answer(Result<LearningPolicy> result) =>
        result.IsSuccess ? TypedResults.Json(ToJson(result.Value!)) : ApiErrors.From(result.Error);

    private static async Task<LearningDraft> DraftAsync(HttpContext http, bool creating)
    {
        var body = await Requests.BodyAsync(http.Request);
        var review = body.String("review");
        if (review is not (null or "required" or "none"))
        {
            throw RequestException.Invalid("review", $"review must be required or none, not '{review}'.");
        }

        var state = body.String("state");
        if (state is not (null or "enabled" or "disabled"))
        {
            throw RequestException.Invalid("state", $"state must be enabled or disabled, not '{state}'.");
        }

        return new LearningDraft
        {
            DeploymentId = creating ? body.RequiredString("deployment_id", 128) : body.String("deployment_id", 128),
            MemoryStoreId = creating ? body.RequiredString("memory_store_id", 128) : body.String("memory_store_id", 128),
            Trigger = body.Object("trigger") is { } trigger ? ReadTrigger(trigger) : creating ? throw RequestException.Invalid("trigger", "trigger is required.") : null,
            Model = creating ? body.RequiredString("model", 256) : body.String("model", 256),
            Instructions = body.IsNull("instructions") ? "" : body.String("instructions", 4096),
            ReviewRequired = review is null ? null : review == "required",
            Enabled = state is null ? null : state == "enabled",
        };
    }

    private static LearningTrigger ReadTrigger(WireObject trigger) => trigger.RequiredString("type") switch
    {
        "graded_sessions" => new LearningTrigger { GradedSessions = trigger.Int("count", int.MinValue, int.MaxValue) ?? throw RequestException.Invalid(trigger.PathOf("count"), "trigger.count is required.") },
        "cron" => new LearningTrigger { Cron = trigger.RequiredString("expression", 256), Timezone = trigger.String("timezone", 64) ?? "UTC" },
        var other => throw RequestException.Invalid(trigger.PathOf("type"), $"trigger.type must be graded_sessions or cron, not '{other}'."),
    };

    private static JsonObject ToJson(LearningPolicy policy) => new()
    {
        ["type"] = "learning_policy",
        ["id"] = policy.Id,
        ["deployment_id"] = policy.DeploymentId,
        ["memory_store_id"] = policy.MemoryStoreId,
        ["trigger"] = policy.Trigger.GradedSessions is { } count
            ? new JsonObject { ["type"] = "graded_sessions", ["count"] = count }
            : new JsonObject { ["type"] = "cron", ["expression"] = policy.Trigger.Cron, ["timezone"] = policy.Trigger.Timezone },
        ["model"] = policy.Model,
        ["instructions"] = policy.Instructions,
        ["review"] = policy.ReviewRequired ? "required" : "none",
        ["state"] = policy.Enabled ? "enabled" : "disabled",
        ["last_dream_id"] = policy.LastDreamId,
        ["learned_until"] = Wire.Time(policy.LearnedUntil),
        ["last_error"] = policy.LastError,
        ["created_at"] = Wire.Time(policy.CreatedAt),
        ["updated_at"] = Wire.Time(policy.UpdatedAt),
    };
}
