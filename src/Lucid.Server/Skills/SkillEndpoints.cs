using System.Text.Json.Nodes;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Skills;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Skills;

/// <summary>
/// <c>/v1/skills</c>: create a skill (multipart, with its first version), list, retrieve, delete (with its versions); and
/// its versions: create, list, retrieve, delete, download as a zip.
/// </summary>
internal static class SkillEndpoints
{
    // Room for the multipart boundaries and headers, and a zip's own overhead, around the skill's bytes.
    private const long UploadOverheadBytes = 2 * 1024 * 1024;

    public static RouteGroupBuilder MapSkills(this RouteGroupBuilder v1)
    {
        var skills = v1.MapGroup("/skills");
        skills.MapPost("", CreateAsync);
        skills.MapGet("", ListAsync);
        skills.MapGet("/{id}", RetrieveAsync);
        skills.MapDelete("/{id}", DeleteAsync);
        skills.MapPost("/{id}/versions", CreateVersionAsync);
        skills.MapGet("/{id}/versions", ListVersionsAsync);
        skills.MapGet("/{id}/versions/{version}", RetrieveVersionAsync);
        skills.MapDelete("/{id}/versions/{version}", DeleteVersionAsync);
        skills.MapGet("/{id}/versions/{version}/content", DownloadAsync);
        return v1;
    }

    private static IResult Answer(Result<Skill> result) => result.IsSuccess ? TypedResults.Json(SkillWire.ToJson(result.Value)) : ApiErrors.From(result.Error);

    private static IResult Answer(Result<SkillVersion> result) => result.IsSuccess ? TypedResults.Json(SkillWire.ToJson(result.Value)) : ApiErrors.From(result.Error);

    private static async Task<IResult> CreateAsync(HttpContext http, SkillService skills)
    {
        var form = await ReadFormAsync(http);
        var displayName = form.TryGetValue("display_name", out var name) ? name.ToString() : null;
        return Answer(await skills.CreateAsync(ApiFilter.Workspace(http), displayName, Parts(form), http.RequestAborted));
    }

    private static async Task<IResult> ListAsync(HttpContext http, SkillService skills)
    {
        var page = Requests.Page(http.Request, max: 1000);
        switch (http.Request.Query["source"].ToString())
        {
            case "" or "custom":
                var listed = await Requests.PageAsync(() => skills.ListAsync(ApiFilter.Workspace(http), page, http.RequestAborted));
                return TypedResults.Json(Wire.Page(listed, SkillWire.ToJson));
            case "anthropic":
                // Anthropic's pre-built skills are not served by a self-hosted server: there are none to list.
                return TypedResults.Json(new JsonObject { ["data"] = new JsonArray(), ["next_page"] = null });
            case var other:
                return ApiErrors.From(LucidError.Invalid("source", $"source must be custom or anthropic, not '{other}'."));
        }
    }

    private static async Task<IResult> RetrieveAsync(HttpContext http, string id, SkillService skills) =>
        Answer(await skills.GetAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Skill, "skill_id"), http.RequestAborted));

    private static async Task<IResult> DeleteAsync(HttpContext http, string id, SkillService skills)
    {
        var deleted = await skills.DeleteAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Skill, "skill_id"), http.RequestAborted);
        return deleted.IsSuccess
            ? TypedResults.Json(new JsonObject { ["type"] = "skill_deleted", ["id"] = deleted.Value.Id })
            : ApiErrors.From(deleted.Error);
    }

    private static async Task<IResult> CreateVersionAsync(HttpContext http, string id, SkillService skills)
    {
        var skillId = Requests.Id(id, IdPrefixes.Skill, "skill_id");
        var form = await ReadFormAsync(http);
        return Answer(await skills.CreateVersionAsync(ApiFilter.Workspace(http), skillId, Parts(form), http.RequestAborted));
    }

    private static async Task<IResult> ListVersionsAsync(HttpContext http, string id, SkillService skills)
    {
        var page = Requests.Page(http.Request, max: 1000);
        var skill = await skills.GetAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Skill, "skill_id"), http.RequestAborted);
        if (!skill.IsSuccess)
        {
            return ApiErrors.From(skill.Error);
        }

        var listed = await Requests.PageAsync(() => skills.ListVersionsAsync(skill.Value, page, http.RequestAborted));
        return TypedResults.Json(Wire.Page(listed, SkillWire.ToJson));
    }

    private static async Task<IResult> RetrieveVersionAsync(HttpContext http, string id, string version, SkillService skills) =>
        Answer(await skills.GetVersionAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Skill, "skill_id"), version, http.RequestAborted));

    private static async Task<IResult> DeleteVersionAsync(HttpContext http, string id, string version, SkillService skills)
    {
        var deleted = await skills.DeleteVersionAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Skill, "skill_id"), version, http.RequestAborted);
        return deleted.IsSuccess
            ? TypedResults.Json(new JsonObject { ["type"] = "skill_version_deleted", ["id"] = deleted.Value.Id })
            : ApiErrors.From(deleted.Error);
    }

    private static async Task<IResult> DownloadAsync(HttpContext http, string id, string version, SkillService skills)
    {
        var found = await skills.GetVersionAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.Skill, "skill_id"), version, http.RequestAborted);
        if (!found.IsSuccess)
        {
            return ApiErrors.From(found.Error);
        }

        // Built whole before the answer starts, so that a missing blob is a 500 and not a cut-off zip.
        var zip = new MemoryStream();
        await skills.WriteArchiveAsync(found.Value, zip, http.RequestAborted);
        zip.Position = 0;
        return TypedResults.Stream(zip, "application/zip", $"{found.Value.Name}.zip");
    }

    // A skill upload may be larger than other requests: this request's limit follows the skill limit.
    private static async Task<IFormCollection> ReadFormAsync(HttpContext http)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = SkillBundle.MaxTotalBytes + UploadOverheadBytes;
        }

        if (!http.Request.HasFormContentType)
        {
            throw RequestException.Invalid("files", "Upload a skill as multipart/form-data: its files in parts named 'files[]' whose file names are their paths (my-skill/SKILL.md), or one zip of its folder.");
        }

        return await http.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = long.MaxValue }, http.RequestAborted);
    }

    // The parts whose file names are the files' paths; the form reader keeps only the last segment in FileName, so the
    // path is read from the part's Content-Disposition.
    private static List<SkillPart> Parts(IFormCollection form) =>
        [.. form.Files.Where(f => f.Name is "files[]" or "files").Select(f => new SkillPart(PathOf(f), f.ContentType, f.OpenReadStream()))];

    private static string PathOf(IFormFile file) =>
        Microsoft.Net.Http.Headers.ContentDispositionHeaderValue.TryParse(file.ContentDisposition, out var disposition)
            ? Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).ToString()
            : file.FileName;
}
