using System.Text.Json.Nodes;
using Lucid.Importing;
using Lucid.Results;
using Lucid.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lucid.Server.Importing;

/// <summary>
/// <c>POST /v1/lucid/imports/{format}</c>, a Lucid extension: the request body is a transcript file (JSON or JSONL), and
/// its records become sessions in the caller's workspace, as <c>lucid import</c> does. For the session-log formats
/// (<c>claude-code</c>, <c>codex</c>) the body is one log; a Claude Code session's subagent files may follow its own in
/// the body. <c>?source=NAME</c> names the source in the sessions' metadata (default <c>upload</c>).
/// </summary>
internal static class ImportEndpoints
{
    public static RouteGroupBuilder MapImports(this RouteGroupBuilder v1)
    {
        v1.MapPost("/lucid/imports/{format}", ImportAsync);
        return v1;
    }

    private static async Task<IResult> ImportAsync(HttpContext http, string format, TranscriptImporter importer)
    {
        var source = http.Request.Query["source"].ToString();
        if (source.Length > 256)
        {
            throw RequestException.Invalid("source", "source must be at most 256 characters.");
        }

        var report = await importer.ImportAsync(ApiFilter.Workspace(http), format, source.Length == 0 ? "upload" : source, http.Request.Body, http.RequestAborted);
        if (!report.IsSuccess)
        {
            return ApiErrors.From(report.Error);
        }

        return NothingRead(report.Value) is { } error ? ApiErrors.From(error) : TypedResults.Json(ToJson(report.Value));
    }

    // A body in which no record is a transcript (garbage, nothing at all) is bad input, not an import of nothing; the
    // importer wrote nothing for it.
    private static LucidError? NothingRead(ImportReport report) =>
        report.Imported.Count > 0 || report.Skipped.Count > 0 ? null
        : report.Malformed.Count > 0
            ? LucidError.Invalid("body", $"No record of the body is a transcript of format {report.Format}; {report.Malformed[0].Position}: {report.Malformed[0].Reason}")
            : report.Ignored.Count > 0
                ? LucidError.Invalid("body", $"The body holds no {report.Format} session: its lines are all of kinds Lucid does not import ({string.Join(", ", report.Ignored.Keys)}).")
                : LucidError.Invalid("body", "The body holds no records: send a transcript file, JSON or JSONL.");

    /// <summary>The report's wire shape: <c>{"type":"import_report", …}</c>.</summary>
    internal static JsonObject ToJson(ImportReport report) => new()
    {
        ["type"] = "import_report",
        ["format"] = report.Format,
        ["source"] = report.Source,
        ["records"] = report.Records,
        ["imported"] = new JsonArray([.. report.Imported.Select(i => (JsonNode)new JsonObject { ["position"] = i.Position, ["session_id"] = i.SessionId, ["events"] = i.Events })]),
        ["skipped"] = new JsonArray([.. report.Skipped.Select(s => (JsonNode)new JsonObject { ["position"] = s.Position, ["session_id"] = s.SessionId, ["reason"] = s.Reason })]),
        ["malformed"] = new JsonArray([.. report.Malformed.Select(m => (JsonNode)new JsonObject { ["position"] = m.Position, ["reason"] = m.Reason })]),
        ["ignored"] = new JsonObject(report.Ignored.Select(i => KeyValuePair.Create(i.Key, (JsonNode?)i.Value))),
    };
}
