using Lucid.Dreams;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Dreams;

/// <summary><c>/v1/dreams</c>: create, list, retrieve, cancel and archive dreams.</summary>
internal static class DreamEndpoints
{
    public static RouteGroupBuilder MapDreams(this RouteGroupBuilder v1)
    {
        var dreams = v1.MapGroup("/dreams");
        dreams.MapPost("", CreateAsync);
        dreams.MapGet("", ListAsync);
        dreams.MapGet("/{id}", RetrieveAsync);
        dreams.MapPost("/{id}/cancel", CancelAsync);
        dreams.MapPost("/{id}/archive", ArchiveAsync);
        return v1;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, DreamService dreams)
    {
        var request = DreamWire.Request(await Requests.BodyAsync(http.Request));
        var created = await dreams.CreateAsync(ApiFilter.Workspace(http), request, http.RequestAborted);
        if (!created.IsSuccess && created.Error.Kind == ErrorKind.Conflict)
        {
            // The SDK's target_store_held error: retrying soon would meet the same holder.
            http.Response.Headers["x-should-retry"] = "false";
        }

        return created.IsSuccess ? TypedResults.Json(DreamWire.Dream(created.Value)) : ApiErrors.From(created.Error);
    }

    private static async Task<IResult> ListAsync(HttpContext http, DreamService dreams)
    {
        var statuses = new HashSet<DreamStatus>();
        foreach (var raw in http.Request.Query["statuses[]"].Concat(http.Request.Query["statuses"]))
        {
            statuses.Add(DreamNames.TryParseStatus(raw, out var status)
                ? status
                : throw RequestException.Invalid("statuses", $"statuses must be {string.Join(", ", DreamNames.StatusNames.SkipLast(1))} or {DreamNames.StatusNames[^1]}, not '{raw}'."));
        }

        var query = new DreamQuery
        {
            IncludeArchived = Requests.Flag(http.Request, "include_archived"),
            Statuses = statuses,
            CreatedAfter = Requests.Time(http.Request, "created_at[gt]"),
            CreatedBefore = Requests.Time(http.Request, "created_at[lt]"),
        };
        var page = await Requests.PageAsync(() => dreams.ListAsync(ApiFilter.Workspace(http), query, Requests.Page(http.Request), http.RequestAborted));
        return TypedResults.Json(Wire.Page(page, d => DreamWire.Dream(d)));
    }

    private static async Task<IResult> RetrieveAsync(HttpContext http, string id, DreamService dreams)
    {
        var found = await dreams.GetAsync(ApiFilter.Workspace(http), DreamId(id), http.RequestAborted);
        return found.IsSuccess ? TypedResults.Json(DreamWire.Dream(found.Value)) : ApiErrors.From(found.Error);
    }

    private static async Task<IResult> CancelAsync(HttpContext http, string id, DreamService dreams)
    {
        var canceled = await dreams.CancelAsync(ApiFilter.Workspace(http), DreamId(id), http.RequestAborted);
        return canceled.IsSuccess ? TypedResults.Json(DreamWire.Dream(canceled.Value)) : ApiErrors.From(canceled.Error);
    }

    private static async Task<IResult> ArchiveAsync(HttpContext http, string id, DreamService dreams)
    {
        var archived = await dreams.ArchiveAsync(ApiFilter.Workspace(http), DreamId(id), http.RequestAborted);
        return archived.IsSuccess ? TypedResults.Json(DreamWire.Dream(archived.Value)) : ApiErrors.From(archived.Error);
    }

    private static string DreamId(string id) => Requests.Id(id, IdPrefixes.Dream, "dream_id");
}
