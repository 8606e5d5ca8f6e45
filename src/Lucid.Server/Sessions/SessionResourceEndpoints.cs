using System.Globalization;
using System.Text.Json.Nodes;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Server.Cluster;
using Lucid.Server.Http;
using Lucid.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Sessions;

/// <summary>
/// <c>/v1/sessions/{id}/resources</c>: add a file, list, retrieve, update (a repository's token) and delete a session's
/// resources. Memory stores are listed too; they have no resource ID and are attached only when a session is created.
/// Changes are checked here and done by the session's owner (<see cref="ISessionOwners"/>), whose runner takes them.
/// </summary>
internal static class SessionResourceEndpoints
{
    private const string PagePrefix = "page_";

    public static RouteGroupBuilder MapSessionResources(this RouteGroupBuilder sessions)
    {
        sessions.MapPost("/{id}/resources", AddAsync);
        sessions.MapGet("/{id}/resources", ListAsync);
        sessions.MapGet("/{id}/resources/{resourceId}", RetrieveAsync);
        sessions.MapPost("/{id}/resources/{resourceId}", UpdateAsync);
        sessions.MapDelete("/{id}/resources/{resourceId}", DeleteAsync);
        return sessions;
    }

    private static async Task<IResult> AddAsync(HttpContext http, string id, ISessionOwners owners)
    {
        Requests.Id(id, IdPrefixes.Session, "session_id");
        var body = await Requests.BodyAsync(http.Request);
        if (body.RequiredString("type") is var type and not "file")
        {
            return ApiErrors.From(LucidError.Invalid("type", $"Only file resources can be added to a session; '{type}' resources are given when it is created."));
        }

        SessionResourceWire.ReadFile(body);
        return Answer(await owners.AddResourceAsync(ApiFilter.Workspace(http), id, body, http.RequestAborted));
    }

    private static async Task<IResult> ListAsync(HttpContext http, string id, SessionService sessions)
    {
        var session = await sessions.GetAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Session, "session_id"), http.RequestAborted);
        if (!session.IsSuccess)
        {
            return ApiErrors.From(session.Error);
        }

        // Without a limit, every resource in one page, as the API does.
        var all = SessionResourceWire.All(session.Value);
        var limit = Requests.Int(http.Request, "limit", 1, 1000) ?? all.Count;
        var page = http.Request.Query["page"].ToString();
        var offset = 0;
        if (page.Length > 0 && !(page.StartsWith(PagePrefix, StringComparison.Ordinal)
            && int.TryParse(page.AsSpan(PagePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset) && offset <= all.Count))
        {
            return ApiErrors.From(LucidError.Invalid("page", $"'{page}' is not a page of this session's resources."));
        }

        var items = all.Skip(offset).Take(limit).ToList();
        return TypedResults.Json(new JsonObject
        {
            ["data"] = new JsonArray([.. items]),
            ["next_page"] = offset + items.Count < all.Count ? $"{PagePrefix}{offset + items.Count}" : null,
        });
    }

    private static async Task<IResult> RetrieveAsync(HttpContext http, string id, string resourceId, SessionService sessions)
    {
        var session = await sessions.GetAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Session, "session_id"), http.RequestAborted);
        Requests.Id(resourceId, IdPrefixes.SessionResource, "resource_id");
        if (!session.IsSuccess)
        {
            return ApiErrors.From(session.Error);
        }

        JsonObject? found = session.Value.Files.FirstOrDefault(f => f.Id == resourceId) is { } file ? SessionResourceWire.File(file)
            : session.Value.Repositories.FirstOrDefault(r => r.Id == resourceId) is { } repository ? SessionResourceWire.Repository(repository)
            : null;
        return found is null ? ApiErrors.From(LucidError.NotFound("Session resource", resourceId)) : TypedResults.Json(found);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string id, string resourceId, ISessionOwners owners)
    {
        Requests.Id(id, IdPrefixes.Session, "session_id");
        Requests.Id(resourceId, IdPrefixes.SessionResource, "resource_id");
        var body = await Requests.BodyAsync(http.Request);
        if (body.RequiredString("authorization_token", 4096).Length == 0)
        {
            return ApiErrors.From(LucidError.Invalid("authorization_token", "authorization_token must not be empty."));
        }

        return Answer(await owners.RotateResourceTokenAsync(ApiFilter.Workspace(http), id, resourceId, http.RequestAborted));
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string id, string resourceId, ISessionOwners owners) =>
        Answer(await owners.DeleteResourceAsync(
            ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Session, "session_id"), Requests.Id(resourceId, IdPrefixes.SessionResource, "resource_id"), http.RequestAborted));

    private static IResult Answer(Result<JsonObject> answer) => answer.IsSuccess ? TypedResults.Json(answer.Value) : ApiErrors.From(answer.Error);
}
