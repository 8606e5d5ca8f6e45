using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Events;
using Lucid.Json;
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

    /// <summary>Token usage and list cost as the API shapes it (the shape of a <c>session.usage</c> event's snapshot).</summary>
    public static JsonNode Usage(SessionUsage usage) =>
        JsonSerializer.SerializeToNode(UsageSnapshot.Of(usage), LucidJsonContext.Default.UsageSnapshot)
        ?? throw new InvalidOperationException("A usage snapshot serialized to null.");

    /// <summary>A budget as the API shapes it, or null.</summary>
    public static JsonNode? Budget(SessionBudget? budget) =>
        budget is null ? null : JsonSerializer.SerializeToNode(budget, LucidJsonContext.Default.SessionBudget);

    /// <summary>
    /// Reads a budget: <c>{"type": "limit", "max_list_cost": {"amount": "500", "currency": "USD"}}</c>, the amount in
    /// whole cents, above zero.
    /// </summary>
    public static SessionBudget ReadBudget(WireObject budget)
    {
        if (budget.Element.ValueKind != JsonValueKind.Object)
        {
            throw RequestException.Invalid("budget", "budget must be an object such as {\"type\": \"limit\", \"max_list_cost\": {\"amount\": \"500\", \"currency\": \"USD\"}}.");
        }

        if (budget.RequiredString("type") is var type && type != "limit")
        {
            throw RequestException.Invalid(budget.PathOf("type"), $"budget type must be limit, not '{type}'.");
        }

        var cost = budget.RequiredObject("max_list_cost");
        var amount = cost.RequiredString("amount", 18);
        if (amount.Length == 0 || amount[0] == '0' || !amount.All(char.IsAsciiDigit))
        {
            throw RequestException.Invalid(cost.PathOf("amount"), $"amount is whole cents as an integer string above zero without leading zeros, such as \"250\" for $2.50 (got '{amount}').");
        }

        if (cost.RequiredString("currency") is var currency && currency != MonetaryAmount.Usd)
        {
            throw RequestException.Invalid(cost.PathOf("currency"), $"currency must be USD, the only currency list prices are kept in (got '{currency}').");
        }

        return new SessionBudget { MaxListCost = new MonetaryAmount { Amount = amount } };
    }

    /// <summary>
    /// Timing statistics (<c>stats</c>) of a session or thread: its running time, <paramref name="alsoActive"/> seconds of
    /// other running time (a session's threads'), and the time since <paramref name="createdAt"/>, frozen at
    /// <paramref name="endedAt"/> once it ended.
    /// </summary>
    public static JsonObject Stats(ActiveTime activity, double alsoActive, DateTimeOffset createdAt, DateTimeOffset? endedAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var until = endedAt ?? now;
        return new JsonObject
        {
            ["active_seconds"] = Math.Round(activity.SecondsAt(until) + alsoActive, 3),
            ["duration_seconds"] = Math.Round(Math.Max(0, (until - createdAt).TotalSeconds), 3),
        };
    }

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
