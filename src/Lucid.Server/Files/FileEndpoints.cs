using System.Globalization;
using System.Text.Json.Nodes;
using Lucid.Files;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Files;

/// <summary><c>/v1/files</c>: upload (multipart), list, retrieve metadata, download content, delete.</summary>
internal static class FileEndpoints
{
    // Room for the multipart boundaries and headers around the file's bytes.
    private const long MultipartOverheadBytes = 1024 * 1024;

    private const int MaxListedIds = 100;

    public static RouteGroupBuilder MapFiles(this RouteGroupBuilder v1)
    {
        var files = v1.MapGroup("/files");
        files.MapPost("", UploadAsync);
        files.MapGet("", ListAsync);
        files.MapGet("/{id}", RetrieveAsync);
        files.MapGet("/{id}/content", DownloadAsync);
        files.MapDelete("/{id}", DeleteAsync);
        return v1;
    }

    private static IResult Answer(Result<StoredFile> result) => result.IsSuccess ? TypedResults.Json(FileWire.ToJson(result.Value)) : ApiErrors.From(result.Error);

    private static async Task<IResult> UploadAsync(HttpContext http, FileService files)
    {
        // A file may be larger than other requests: this request's limit follows the file limit.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = files.Options.MaxFileBytes + MultipartOverheadBytes;
        }

        if (!http.Request.HasFormContentType)
        {
            return ApiErrors.From(LucidError.Invalid("file", "Upload a file as multipart/form-data with the file in a part named 'file'."));
        }

        var form = await http.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = long.MaxValue }, http.RequestAborted);
        if (form.Files.GetFile("file") is not { } part)
        {
            return ApiErrors.From(LucidError.Invalid("file", "file is required: a multipart part named 'file' with the file's bytes."));
        }

        long? expiresIn = null;
        if (form.TryGetValue("expires_in_seconds", out var expires))
        {
            expiresIn = long.TryParse(expires.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? seconds
                : throw RequestException.Invalid("expires_in_seconds", $"expires_in_seconds must be a whole number of seconds, not '{expires}'.");
        }

        await using var content = part.OpenReadStream();
        return Answer(await files.UploadAsync(ApiFilter.Workspace(http), new FileUpload(part.FileName, part.ContentType, content, expiresIn), http.RequestAborted));
    }

    private static async Task<IResult> ListAsync(HttpContext http, FileService files)
    {
        var request = http.Request;
        var workspace = ApiFilter.Workspace(http);
        var ids = request.Query["ids"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Concat(request.Query["ids[]"].Select(v => v ?? "")).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count > 0)
        {
            if (request.Query.ContainsKey("page") || request.Query.ContainsKey("limit"))
            {
                return ApiErrors.From(LucidError.Invalid("ids", "ids cannot be combined with page or limit: a list by ids is always one page."));
            }

            if (ids.Count > MaxListedIds)
            {
                return ApiErrors.From(LucidError.Invalid("ids", $"ids may name at most {MaxListedIds} files; got {ids.Count}."));
            }

            var found = new JsonArray();
            foreach (var id in ids)
            {
                // IDs that name no visible file are left out, as the API does.
                if (await files.GetAsync(workspace, id, http.RequestAborted) is { IsSuccess: true } file)
                {
                    found.Add(FileWire.ToJson(file.Value));
                }
            }

            return TypedResults.Json(new JsonObject { ["data"] = found, ["next_page"] = null });
        }

        var scope = request.Query["scope_id"].ToString() is { Length: > 0 } scopeId ? Requests.Id(scopeId, IdPrefixes.Session, "scope_id") : null;
        var page = await Requests.PageAsync(() => files.ListAsync(workspace, scope, Requests.Page(request, max: 1000), http.RequestAborted));
        return TypedResults.Json(Wire.Page(page, FileWire.ToJson));
    }

    private static async Task<IResult> RetrieveAsync(HttpContext http, string id, FileService files) =>
        Answer(await files.GetAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.File, "file_id"), http.RequestAborted));

    private static async Task<IResult> DownloadAsync(HttpContext http, string id, FileService files)
    {
        var opened = await files.OpenAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.File, "file_id"), http.RequestAborted);
        return opened.IsSuccess
            ? TypedResults.Stream(opened.Value.Content, opened.Value.File.MimeType, opened.Value.File.Filename)
            : ApiErrors.From(opened.Error);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string id, FileService files)
    {
        var deleted = await files.DeleteAsync(ApiFilter.Workspace(http), Requests.Id(id, IdPrefixes.File, "file_id"), http.RequestAborted);
        return deleted.IsSuccess
            ? TypedResults.Json(new JsonObject { ["type"] = "file_deleted", ["id"] = deleted.Value.Id })
            : ApiErrors.From(deleted.Error);
    }
}
