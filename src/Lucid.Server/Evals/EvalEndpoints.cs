using Lucid.Evals;
using Lucid.Ids;
using Lucid.Memory;
using Lucid.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Evals;

/// <summary>
/// <c>/v1/lucid/evals</c> (a Lucid extension): create an eval run from a suite (the suite file's shape, as JSON) and run
/// it in the background, list runs, and retrieve one with its trials and, once completed, its report.
/// </summary>
internal static class EvalEndpoints
{
    public static RouteGroupBuilder MapEvals(this RouteGroupBuilder v1)
    {
        var evals = v1.MapGroup("/lucid/evals");
        evals.MapPost("", CreateAsync);
        evals.MapGet("", async (HttpContext http, EvalService service) =>
        {
            var page = await Requests.PageAsync(() => service.ListAsync(ApiFilter.Workspace(http), Requests.Page(http.Request), http.RequestAborted));
            return TypedResults.Json(Wire.Page(page, run => EvalWire.ToJson(run, withTrials: false)));
        });
        evals.MapGet("/{id}", async (HttpContext http, string id, EvalService service) =>
        {
            var found = await service.GetAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.EvalRun, "eval_run_id"), http.RequestAborted);
            return found.IsSuccess ? TypedResults.Json(EvalWire.ToJson(found.Value, withTrials: true)) : ApiErrors.From(found.Error);
        });
        return v1;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, EvalService service)
    {
        var body = await Requests.BodyAsync(http.Request);
        var suite = EvalSuiteReader.Read(body.Element);
        if (!suite.IsSuccess)
        {
            return ApiErrors.From(suite.Error);
        }

        var created = await service.CreateAsync(ApiFilter.Workspace(http), suite.Value, MemoryActor.ApiKey(ApiFilter.ApiKeyId(http)), http.RequestAborted);
        return created.IsSuccess ? TypedResults.Json(EvalWire.ToJson(created.Value, withTrials: true)) : ApiErrors.From(created.Error);
    }
}
