namespace Lucid.Agents;

/// <summary>
/// What <c>web_fetch</c> may fetch, beyond the environment's network policy: the domains it may or may not reach (checked
/// on every URL, redirects included), how much of a page it returns, and which sources' URLs it may fetch.
/// </summary>
public sealed record WebFetchConfig
{
    /// <summary>The most entries a domain list may have.</summary>
    public const int MaxDomains = 64;

    /// <summary>Only these domains and their subdomains may be fetched; null when not set. Never set with <see cref="BlockedDomains"/>.</summary>
    public IReadOnlyList<string>? AllowedDomains { get; init; }

    /// <summary>These domains and their subdomains are never fetched; null when not set.</summary>
    public IReadOnlyList<string>? BlockedDomains { get; init; }

    /// <summary>The most tokens of fetched text returned per call; null for the tool's output limit alone.</summary>
    public int? MaxContentTokens { get; init; }

    /// <summary>Which sources' URLs may be fetched; null allows any URL.</summary>
    public WebFetchUrlSources? UrlSources { get; init; }
}
