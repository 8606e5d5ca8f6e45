using System.Globalization;
using System.Text.Json.Nodes;
using Lucid.Sessions;
using Lucid.Storage;
using Microsoft.AspNetCore.Http;

namespace Lucid.Server.Http;

/// <summary>Shared pieces of the wire format: timestamps, metadata maps and list pages.</summary>
internal static class Wire
{
    /// <summary>A session's or thread's status as the API names it.</summary>
    public static string Status(SessionStatus status) => status switch
    {
        SessionStatus.Running => "running",
        SessionStatus.Rescheduling => "rescheduling",
        SessionStatus.Terminated => "terminated",
        _ => "idle",
    };

    /// <summary>Reads the <c>statuses[]</c> filter of a session or thread list.</summary>
    public static HashSet<SessionStatus> Statuses(HttpRequest request, string noun) =>
        request.Query["statuses[]"].Concat(request.Query["statuses"]).Select(s => s switch
        {
            "idle" => SessionStatus.Idle,
            "running" => SessionStatus.Running,
            "rescheduling" => SessionStatus.Rescheduling,
            "terminated" => SessionStatus.Terminated,
            _ => throw RequestException.Invalid("statuses", $"'{s}' is not a {noun} status; use idle, running, rescheduling or terminated."),
        }).ToHashSet();

    /// <summary>Token usage as the API shapes it.</summary>
    public static JsonObject Usage(SessionUsage usage) => new()
    {
        ["input_tokens"] = usage.InputTokens,
        ["output_tokens"] = usage.OutputTokens,
        ["cache_read_input_tokens"] = usage.CacheReadInputTokens,
        ["cache_creation"] = new JsonObject
        {
            ["ephemeral_5m_input_tokens"] = usage.CacheCreationInputTokens,
            ["ephemeral_1h_input_tokens"] = 0,
        },
    };

    /// <summary>An RFC 3339 timestamp in UTC, as the API writes them.</summary>
    public static JsonNode? Time(DateTimeOffset? time) =>
        time is { } t ? JsonValue.Create(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)) : null;

    public static JsonObject Map(IReadOnlyDictionary<string, string> map)
    {
        var json = new JsonObject();
        foreach (var (key, value) in map)
        {
            json[key] = value;
        }

        return json;
    }

    /// <summary>A list page: <c>{"data": [...], "next_page": cursor-or-null}</c>.</summary>
    public static JsonObject Page<T>(Page<T> page, Func<T, JsonNode> map) => new()
    {
        ["data"] = new JsonArray([.. page.Items.Select(map)]),
        ["next_page"] = page.NextPage,
    };

    /// <summary>Applies a metadata patch: a string upserts its key, null deletes it.</summary>
    public static Dictionary<string, string> Patch(IReadOnlyDictionary<string, string> current, IReadOnlyDictionary<string, string?>? patch)
    {
        var next = new Dictionary<string, string>(current, StringComparer.Ordinal);
        foreach (var (key, value) in patch ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                next.Remove(key);
            }
            else
            {
                next[key] = value;
            }
        }

        return next;
    }
}
