using System.Text.Json.Nodes;
using Lucid.Results;
using Microsoft.AspNetCore.Http;

namespace Lucid.Server.Http;

/// <summary>
/// Errors in the API's JSON shape, <c>{"type":"error","error":{"type":…,"message":…}}</c>, with the status code each
/// kind maps to. Every failure the server answers goes through here.
/// </summary>
internal static class ApiErrors
{
    /// <summary>Maps an expected failure to its status and error type.</summary>
    public static IResult From(LucidError error) => error.Kind switch
    {
        ErrorKind.InvalidRequest => Result(StatusCodes.Status400BadRequest, "invalid_request_error", error.Message, error.Field),
        ErrorKind.NotFound => Result(StatusCodes.Status404NotFound, "not_found_error", error.Message, error.Field),
        ErrorKind.Conflict => Result(StatusCodes.Status409Conflict, "conflict_error", error.Message, error.Field),
        ErrorKind.PreconditionFailed => Result(StatusCodes.Status409Conflict, "memory_precondition_failed_error", error.Message, error.Field),
        ErrorKind.TooLarge => Result(StatusCodes.Status413PayloadTooLarge, "request_too_large", error.Message, error.Field),
        ErrorKind.PathConflict => TypedResults.Json(
            Body("memory_path_conflict_error", error.Message, error.Field, ("conflicting_path", error.ConflictingPath ?? ""), ("conflicting_memory_id", error.ConflictingMemoryId ?? "")),
            statusCode: StatusCodes.Status409Conflict,
            contentType: "application/json"),
        _ => Result(StatusCodes.Status500InternalServerError, "api_error", error.Message, error.Field),
    };

    /// <summary>An error response with the given status, type and message.</summary>
    public static IResult Result(int status, string type, string message, string? field = null) =>
        TypedResults.Json(Body(type, message, field), statusCode: status, contentType: "application/json");

    /// <summary>Writes an error response directly (for middleware that runs before endpoints).</summary>
    public static Task WriteAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(Body(type, message, null).ToJsonString(), context.RequestAborted);
    }

    private static JsonObject Body(string type, string message, string? field, params (string Name, string Value)[] details)
    {
        var error = new JsonObject { ["type"] = type, ["message"] = message };
        foreach (var (name, value) in details)
        {
            error[name] = value;
        }

        if (field is not null)
        {
            error["field"] = field;
        }

        return new JsonObject { ["type"] = "error", ["error"] = error };
    }
}
