using System.Text.Json.Nodes;
using Lucid.Dreams.Review;
using Lucid.Ids;
using Lucid.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Dreams;

/// <summary>
/// <c>/v1/lucid/dreams/{id}/…</c> (a Lucid extension, under <c>/v1/lucid/</c> so it never collides with the API): the
/// review of a dream created with <c>"review": "required"</c> — list its proposed changes, accept or reject each one,
/// and finish the review. The work is <see cref="DreamReviewService"/>'s; these handlers only read and write the wire.
/// </summary>
internal static class DreamReviewEndpoints
{
    public static RouteGroupBuilder MapDreamReviews(this RouteGroupBuilder v1)
    {
        var dreams = v1.MapGroup("/lucid/dreams/{id}");
        dreams.MapGet("/changes", ListAsync);
        dreams.MapGet("/changes/{changeId}", RetrieveAsync);
        dreams.MapPost("/changes/{changeId}/accept", (HttpContext http, string id, string changeId, DreamReviewService reviews) => DecideAsync(http, id, changeId, DreamDecision.Accepted, reviews));
        dreams.MapPost("/changes/{changeId}/reject", (HttpContext http, string id, string changeId, DreamReviewService reviews) => DecideAsync(http, id, changeId, DreamDecision.Rejected, reviews));
        dreams.MapPost("/review/finish", FinishAsync);
        return v1;
    }

    private static async Task<IResult> ListAsync(HttpContext http, string id, DreamReviewService reviews)
    {
        var dreamId = DreamId(id);
        var changes = await reviews.ListChangesAsync(ApiFilter.Workspace(http), dreamId, http.RequestAborted);
        return changes.IsSuccess
            ? TypedResults.Json(new JsonObject { ["data"] = new JsonArray([.. changes.Value.Select(c => (JsonNode)DreamReviewWire.Change(dreamId, c))]), ["next_page"] = null })
            : ApiErrors.From(changes.Error);
    }

    private static async Task<IResult> RetrieveAsync(HttpContext http, string id, string changeId, DreamReviewService reviews)
    {
        var dreamId = DreamId(id);
        var change = await reviews.GetChangeAsync(ApiFilter.Workspace(http), dreamId, ChangeId(changeId), http.RequestAborted);
        return change.IsSuccess ? TypedResults.Json(DreamReviewWire.Change(dreamId, change.Value)) : ApiErrors.From(change.Error);
    }

    private static async Task<IResult> DecideAsync(HttpContext http, string id, string changeId, DreamDecision decision, DreamReviewService reviews)
    {
        var dreamId = DreamId(id);
        var decided = await reviews.DecideAsync(ApiFilter.Workspace(http), dreamId, ChangeId(changeId), decision, ApiFilter.ApiKeyId(http), http.RequestAborted);
        return decided.IsSuccess ? TypedResults.Json(DreamReviewWire.Change(dreamId, decided.Value)) : ApiErrors.From(decided.Error);
    }

    private static async Task<IResult> FinishAsync(HttpContext http, string id, DreamReviewService reviews)
    {
        var finished = await reviews.FinishAsync(ApiFilter.Workspace(http), DreamId(id), ApiFilter.ApiKeyId(http), http.RequestAborted);
        return finished.IsSuccess ? TypedResults.Json(DreamWire.Dream(finished.Value)) : ApiErrors.From(finished.Error);
    }

    private static string DreamId(string id) => Requests.Id(id, IdPrefixes.Dream, "dream_id");

    private static string ChangeId(string id) => Requests.Id(id, IdPrefixes.DreamChange, "change_id");
}
