using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Agents;
using Lucid.Server.Http;
using Lucid.Tools;

namespace Lucid.Server.Agents;

/// <summary><c>web_fetch</c>'s config in a toolset's <c>configs</c>: <c>allowed_domains</c>, <c>blocked_domains</c>, <c>max_content_tokens</c>, <c>url_sources</c>.</summary>
internal static class WebFetchWire
{
    private static readonly string[] ServerTools = ["web_search", "web_fetch"];

    /// <summary>Reads the config, or null when it sets none of its fields; <paramref name="customTools"/> are the custom tools of the same tools array.</summary>
    public static WebFetchConfig? Read(WireObject config, IReadOnlySet<string> customTools)
    {
        var allowed = Domains(config, "allowed_domains");
        var blocked = Domains(config, "blocked_domains");
        if (allowed is not null && blocked is not null)
        {
            throw RequestException.Invalid(config.PathOf("blocked_domains"), "allowed_domains and blocked_domains cannot be combined; set one of them.");
        }

        var maxTokens = config.Int("max_content_tokens", 1, int.MaxValue);
        var sources = config.Object("url_sources") is { } wire && wire.Element.ValueKind != JsonValueKind.Null ? UrlSources(wire, customTools) : null;
        return allowed is null && blocked is null && maxTokens is null && sources is null
            ? null
            : new WebFetchConfig { AllowedDomains = allowed, BlockedDomains = blocked, MaxContentTokens = maxTokens, UrlSources = sources };
    }

    /// <summary>Adds the config's fields to a tool's configuration as the API shows it (<c>url_sources</c> in the object form).</summary>
    public static void Write(JsonObject json, WebFetchConfig? config)
    {
        if (config is null)
        {
            return;
        }

        if (config.AllowedDomains is { } allowed)
        {
            json["allowed_domains"] = new JsonArray([.. allowed.Select(d => (JsonNode)d)]);
        }

        if (config.BlockedDomains is { } blocked)
        {
            json["blocked_domains"] = new JsonArray([.. blocked.Select(d => (JsonNode)d)]);
        }

        if (config.MaxContentTokens is { } maxTokens)
        {
            json["max_content_tokens"] = maxTokens;
        }

        if (config.UrlSources is { } sources)
        {
            json["url_sources"] = new JsonObject
            {
                ["user_input"] = new JsonObject { ["type"] = sources.UserInput ? "all" : "none" },
                ["client_tool_results"] = FilterJson(sources.ClientToolResults),
                ["server_tool_results"] = FilterJson(sources.ServerToolResults),
            };
        }
    }

    private static List<string>? Domains(WireObject config, string field)
    {
        if (!config.Has(field) || config.IsNull(field))
        {
            return null;
        }

        var items = config.Array(field, WebFetchConfig.MaxDomains);
        if (items.Count == 0)
        {
            throw RequestException.Invalid(config.PathOf(field), $"{field} may not be empty; omit the field instead.");
        }

        var domains = new List<string>();
        foreach (var (item, path) in items)
        {
            var domain = item.ValueKind == JsonValueKind.String && WebFetchDomains.Normalize(item.GetString() ?? "") is { } host ? host
                : throw RequestException.Invalid(path, $"{path} must be a plain host name like \"docs.example.com\" (no scheme, port or path), not {WireObject.Describe(item)}.");
            if (!domains.Contains(domain))
            {
                domains.Add(domain);
            }
        }

        return domains;
    }

    private static WebFetchUrlSources UrlSources(WireObject wire, IReadOnlySet<string> customTools)
    {
        var userInput = Filter(wire, "user_input", null);
        var sources = new WebFetchUrlSources
        {
            UserInput = userInput.Kind == UrlSourceFilterKind.All,
            ClientToolResults = Filter(wire, "client_tool_results", name => customTools.Contains(name) ? null : "must be a custom tool in the same tools array"),
            ServerToolResults = Filter(wire, "server_tool_results", name => ServerTools.Contains(name) ? null : "must be web_search or web_fetch"),
        };
        return !sources.UserInput && sources.ClientToolResults.Kind == UrlSourceFilterKind.None && sources.ServerToolResults.Kind == UrlSourceFilterKind.None
            ? throw RequestException.Invalid(wire.PathOf("user_input"), "url_sources may not set every source to none: web_fetch could fetch nothing. Disable the tool instead.")
            : sources;
    }

    // "all", "none", or {"type": all|none|only|except, "tools": [{"type": "tool_reference", "name": …}]}; user_input
    // (checkName null) takes no list.
    private static UrlSourceFilter Filter(WireObject wire, string field, Func<string, string?>? checkName)
    {
        if (!wire.TryGet(field, out var value))
        {
            return UrlSourceFilter.All;
        }

        var path = wire.PathOf(field);
        var filter = value.ValueKind == JsonValueKind.Object ? new WireObject(value, path) : (WireObject?)null;
        var type = filter is { } typed ? typed.RequiredString("type") : value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var typePath = filter is { } withType ? withType.PathOf("type") : path;

        switch (type)
        {
            case "all":
                return UrlSourceFilter.All;
            case "none":
                return UrlSourceFilter.None;
            case "only" or "except" when filter is { } list && checkName is not null:
                return new UrlSourceFilter(type == "only" ? UrlSourceFilterKind.Only : UrlSourceFilterKind.Except, Tools(list, type, checkName));
            default:
                var allowed = checkName is null ? "\"all\" or \"none\"" : "\"all\", \"none\", or {\"type\": \"only\" or \"except\", \"tools\": [...]}";
                throw RequestException.Invalid(typePath, $"{path} must be {allowed}, not {(type is null ? WireObject.Describe(value) : $"'{type}'")}.");
        }
    }

    private static List<string> Tools(WireObject filter, string type, Func<string, string?> checkName)
    {
        var items = filter.Array("tools", UrlSourceFilter.MaxTools);
        if (items.Count == 0)
        {
            throw RequestException.Invalid(filter.PathOf("tools"), $"An {type} list needs at least one tool; use \"{(type == "only" ? "none" : "all")}\" instead.");
        }

        var names = new List<string>();
        foreach (var (item, path) in items)
        {
            var reference = new WireObject(item, path);
            if (reference.RequiredString("type") != "tool_reference")
            {
                throw RequestException.Invalid(reference.PathOf("type"), $"{reference.PathOf("type")} must be tool_reference.");
            }

            var name = reference.RequiredString("name", 128);
            if (checkName(name) is { } problem)
            {
                throw RequestException.Invalid(reference.PathOf("name"), $"'{name}' {problem}.");
            }

            if (names.Contains(name))
            {
                throw RequestException.Invalid(reference.PathOf("name"), $"'{name}' is listed more than once.");
            }

            names.Add(name);
        }

        return names;
    }

    private static JsonObject FilterJson(UrlSourceFilter filter)
    {
        var json = new JsonObject
        {
            ["type"] = filter.Kind switch
            {
                UrlSourceFilterKind.None => "none",
                UrlSourceFilterKind.Only => "only",
                UrlSourceFilterKind.Except => "except",
                _ => "all",
            },
        };
        if (filter.Kind is UrlSourceFilterKind.Only or UrlSourceFilterKind.Except)
        {
            json["tools"] = new JsonArray([.. filter.Tools.Select(t => (JsonNode)new JsonObject { ["type"] = "tool_reference", ["name"] = t })]);
        }

        return json;
    }
}
