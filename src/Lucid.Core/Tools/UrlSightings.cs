using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Lucid.Agents;

namespace Lucid.Tools;

/// <summary>
/// The http(s) URLs a conversation has shown the model, with where each appeared: the text of a user message, a custom
/// tool's result, or a <c>web_fetch</c> result. <c>web_fetch</c> checks a URL against its agent's <c>url_sources</c> here.
/// Fed from the session's log in order; read by tool calls while new events arrive, so it is safe to share. Its
/// dictionaries are made at the first URL or tool call: most conversations have neither, and a runner keeps its
/// conversation in memory while it waits for input.
/// </summary>
internal sealed partial class UrlSightings
{
    private const string UserInput = "user input";

    // Where each URL appeared: "user input", "custom tool <name>", or "server tool <name>".
    private ConcurrentDictionary<string, ConcurrentDictionary<string, byte>>? _sources;
    private ConcurrentDictionary<string, (string Name, bool Custom)>? _calls;

    /// <summary>Notes the URLs in the text of a user message.</summary>
    public void SeeUserText(string text) => See(text, UserInput);

    /// <summary>Notes a tool call, so its result's URLs are credited to its tool.</summary>
    public void SeeCall(string useId, string toolName, bool custom) =>
        LazyInitializer.EnsureInitialized(ref _calls, () => new(StringComparer.Ordinal))[useId] = (toolName, custom);

    /// <summary>Notes the URLs in a tool call's result: a custom tool's, or <c>web_fetch</c>'s (other built-in tools contribute none).</summary>
    public void SeeResult(string useId, string text)
    {
        if (_calls is not null && _calls.TryGetValue(useId, out var call) && (call.Custom || call.Name is "web_fetch" or "web_search"))
        {
            See(text, $"{(call.Custom ? "custom" : "server")} tool {call.Name}");
        }
    }

    /// <summary>Why <paramref name="url"/> may not be fetched under <paramref name="rules"/>, or null when one of its sources allows it.</summary>
    public string? Refusal(string url, WebFetchUrlSources rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (_sources is null || !_sources.TryGetValue(Key(url), out var sources) || sources.IsEmpty)
        {
            return "this agent's url_sources allow only URLs the conversation has already shown (in a user message, a custom tool's result or a web_fetch result), and this URL has not appeared in any of them.";
        }

        var seen = sources.Keys.Order(StringComparer.Ordinal).ToList();
        return seen.Any(s => Allows(s, rules)) ? null
            : $"this URL appeared only in {string.Join(", ", seen)}, and this agent's url_sources do not allow URLs from {(seen.Count == 1 ? "that source" : "those sources")}.";
    }

    private static bool Allows(string source, WebFetchUrlSources rules) =>
        source == UserInput ? rules.UserInput
        : source.StartsWith("custom tool ", StringComparison.Ordinal) ? rules.ClientToolResults.Allows(source["custom tool ".Length..])
        : rules.ServerToolResults.Allows(source["server tool ".Length..]);

    private void See(string text, string source)
    {
        foreach (Match match in UrlPattern().Matches(text))
        {
            LazyInitializer.EnsureInitialized(ref _sources, () => new(StringComparer.Ordinal)).GetOrAdd(Key(match.Value.TrimEnd('.', ',', ';', ':', '!', '?', '\'', '"')), _ => new()).TryAdd(source, 0);
        }
    }

    // A URL is compared as the absolute form Uri gives it (host lower case, default port dropped), without a fragment.
    private static string Key(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.Fragment, UriFormat.UriEscaped) : url;

    [GeneratedRegex(@"https?://[^\s<>""'()\[\]{}`]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();
}
