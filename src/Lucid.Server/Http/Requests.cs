using System.Globalization;
using System.Text.Json;
using Lucid.Ids;
using Lucid.Storage;
using Microsoft.AspNetCore.Http;

namespace Lucid.Server.Http;

/// <summary>Reads what every endpoint needs from a request: its JSON body, path IDs, and list parameters.</summary>
internal static class Requests
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Reads the body as a JSON object; invalid JSON, invalid UTF-8 and nesting deeper than 64 are 400s.</summary>
    public static async Task<WireObject> BodyAsync(HttpRequest request)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, DocumentOptions, request.HttpContext.RequestAborted);
            return new WireObject(document.RootElement.Clone(), "");
        }
        catch (JsonException ex)
        {
            throw RequestException.Invalid("body", $"The request body is not valid JSON: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            throw RequestException.Invalid("body", $"The request body is not valid UTF-8 JSON: {ex.Message}");
        }
    }

    /// <summary>Checks a path ID's prefix; a malformed ID is a 400 naming the parameter.</summary>
    public static string Id(string value, string prefix, string parameter) =>
        IdPrefixes.Has(value, prefix) && value.Length <= 128
            ? value
            : throw RequestException.Invalid(parameter, $"'{Truncate(value)}' is not a valid {parameter} ({prefix}_…).");

    /// <summary>Reads <c>limit</c> (1–100, default 20) and <c>page</c>.</summary>
    public static PageRequest Page(HttpRequest request, int max = 100)
    {
        var limit = Int(request, "limit", 1, max) ?? 20;
        var page = request.Query["page"].ToString();
        return new PageRequest(limit, string.IsNullOrEmpty(page) ? null : page);
    }

    /// <summary>Runs a list query; a page cursor the store does not recognize is a 400.</summary>
    public static async Task<Page<T>> PageAsync<T>(Func<Task<Page<T>>> list)
    {
        try
        {
            return await list();
        }
        catch (ArgumentException ex)
        {
            throw RequestException.Invalid("page", $"page is not a valid cursor: {ex.Message}");
        }
    }

    /// <summary>Reads an optional integer query parameter.</summary>
    public static int? Int(HttpRequest request, string name, int min, int max)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0)
        {
            return null;
        }

        return int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw RequestException.Invalid(name, $"{name} must be an integer from {min} to {max}, not '{Truncate(raw)}'.");
    }

    /// <summary>Reads a boolean query parameter.</summary>
    public static bool Flag(HttpRequest request, string name) =>
        request.Query[name].ToString() switch
        {
            "" or "false" => false,
            "true" => true,
            var other => throw RequestException.Invalid(name, $"{name} must be true or false, not '{Truncate(other)}'."),
        };

    /// <summary>Reads the <c>created_at[gt|gte|lt|lte]</c> filters of a list.</summary>
    public static (DateTimeOffset? After, DateTimeOffset? AtOrAfter, DateTimeOffset? Before, DateTimeOffset? AtOrBefore) CreatedAt(HttpRequest request) =>
        (Time(request, "created_at[gt]"), Time(request, "created_at[gte]"), Time(request, "created_at[lt]"), Time(request, "created_at[lte]"));

    /// <summary>Reads an optional RFC 3339 timestamp query parameter.</summary>
    public static DateTimeOffset? Time(HttpRequest request, string name)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0)
        {
            return null;
        }

        return DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw RequestException.Invalid(name, $"{name} must be an RFC 3339 timestamp, not '{Truncate(raw)}'.");
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
