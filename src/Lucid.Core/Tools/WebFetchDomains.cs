using Lucid.Agents;

namespace Lucid.Tools;

/// <summary>
/// <c>web_fetch</c>'s domain rules: an entry covers its own host name and every subdomain of it (<c>example.com</c>
/// covers <c>docs.example.com</c>, not <c>badexample.com</c>); an IP address covers only itself.
/// </summary>
public static class WebFetchDomains
{
    /// <summary>An entry as it is stored (lower case, without a trailing dot), or null when it is not a plain host name or IP address.</summary>
    public static string? Normalize(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var host = entry.TrimEnd('.').ToLowerInvariant();
        return host.Length <= 253 && Uri.CheckHostName(host) is UriHostNameType.Dns or UriHostNameType.IPv4 ? host : null;
    }

    /// <summary>Whether <paramref name="domain"/> (normalized) covers <paramref name="host"/>.</summary>
    public static bool Covers(string domain, string host)
    {
        host = host.TrimEnd('.').ToLowerInvariant();
        return host == domain || (Uri.CheckHostName(domain) == UriHostNameType.Dns && host.EndsWith("." + domain, StringComparison.Ordinal));
    }

    /// <summary>Why <paramref name="url"/> may not be fetched under <paramref name="config"/>'s domain rules, or null when it may.</summary>
    public static string? Refusal(Uri url, WebFetchConfig? config)
    {
        ArgumentNullException.ThrowIfNull(url);
        var host = url.IdnHost;
        if (config?.AllowedDomains is { } allowed && !allowed.Any(d => Covers(d, host)))
        {
            return $"its host '{host}' is not in this agent's allowed_domains ({string.Join(", ", allowed)}).";
        }

        return config?.BlockedDomains?.FirstOrDefault(d => Covers(d, host)) is { } blocked
            ? $"its host '{host}' is blocked by this agent's blocked_domains entry '{blocked}'."
            : null;
    }
}
