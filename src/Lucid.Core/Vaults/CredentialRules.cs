using System.Net;
using System.Text.RegularExpressions;
using Lucid.Results;

namespace Lucid.Vaults;

/// <summary>
/// The documented rules of a credential's <c>auth</c>: absolute http(s) URLs, tokens present, an expiry in the future,
/// a refresh with its client ID, token and endpoint, a variable name a shell accepts (not one the sandbox sets itself),
/// at most 16 allowed hosts (a host name, an IPv4 address or a <c>*.</c> wildcard), and at least one injection location.
/// </summary>
internal static partial class CredentialRules
{
    /// <summary>At most this many allowed hosts.</summary>
    public const int MaxAllowedHosts = 16;

    // The variables the sandbox sets itself; a credential may not replace them.
    private static readonly HashSet<string> Reserved = new(
        ["PATH", "HOME", "TMPDIR", "LANG", "TERM", "SHELL", "PYTHONPATH", "NODE_PATH", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy",
            .. Sandboxing.BubblewrapArguments.CertificateBundleVariables],
        StringComparer.Ordinal);

    /// <summary>The first broken rule, or null. <paramref name="now"/> bounds an expiry that changed.</summary>
    public static LucidError? Check(CredentialAuth auth, CredentialSecrets secrets, DateTimeOffset now, DateTimeOffset? previousExpiry = null) => auth switch
    {
        StaticBearerAuth bearer => Url(bearer.ServerUrl, "auth.mcp_server_url") ?? Required(secrets.Token, "auth.token"),
        McpOAuthAuth oauth => Url(oauth.ServerUrl, "auth.mcp_server_url")
            ?? Required(secrets.Token, "auth.access_token")
            ?? (oauth.ExpiresAt is { } expires && expires != previousExpiry && expires <= now
                ? LucidError.Invalid("auth.expires_at", $"auth.expires_at must be in the future; {expires:O} has passed.") : null)
            ?? (oauth.Refresh is { } refresh ? Refresh(refresh, secrets) : null),
        EnvironmentVariableAuth variable => Variable(variable) ?? Required(secrets.Value, "auth.secret_value"),
        _ => LucidError.Invalid("auth.type", "Unknown credential type."),
    };

    private static LucidError? Refresh(OAuthRefresh refresh, CredentialSecrets secrets) =>
        Required(refresh.ClientId, "auth.refresh.client_id")
        ?? Required(secrets.RefreshToken, "auth.refresh.refresh_token")
        ?? Url(refresh.TokenEndpoint, "auth.refresh.token_endpoint")
        ?? (refresh.AuthMethod != TokenEndpointAuthMethod.None && string.IsNullOrEmpty(secrets.ClientSecret)
            ? LucidError.Invalid("auth.refresh.token_endpoint_auth.client_secret", "auth.refresh.token_endpoint_auth.client_secret is required for client_secret_basic and client_secret_post.") : null);

    private static LucidError? Variable(EnvironmentVariableAuth variable)
    {
        if (!VariableName().IsMatch(variable.SecretName))
        {
            return LucidError.Invalid("auth.secret_name", $"'{variable.SecretName}' is not an environment variable name: letters, digits and underscores, not starting with a digit, at most 255.");
        }

        if (Reserved.Contains(variable.SecretName) || variable.SecretName.StartsWith("LUCID_", StringComparison.Ordinal))
        {
            return LucidError.Invalid("auth.secret_name", $"{variable.SecretName} is set by the sandbox itself; choose another name.");
        }

        if (!variable.InHeaders && !variable.InBody)
        {
            return LucidError.Invalid("auth.injection_location", "At least one of auth.injection_location.header and auth.injection_location.body must be true.");
        }

        var hosts = variable.AllowedHosts;
        if (hosts is null)
        {
            return null;
        }

        if (hosts.Count > MaxAllowedHosts)
        {
            return LucidError.Invalid("auth.networking.allowed_hosts", $"auth.networking.allowed_hosts must have at most {MaxAllowedHosts} entries; it has {hosts.Count}.");
        }

        var bad = hosts.Select((h, i) => (h, i)).FirstOrDefault(h => !Host(h.h));
        return bad.h is null ? null
            : LucidError.Invalid($"auth.networking.allowed_hosts[{bad.i}]", $"'{bad.h}' is not a host name, an IPv4 address or a '*.' wildcard (no URLs, ports, paths or IPv6).");
    }

    private static bool Host(string host) =>
        (IPAddress.TryParse(host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && host.Count(c => c == '.') == 3)
        || HostName().IsMatch(host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host);

    private static LucidError? Required(string? value, string field) =>
        string.IsNullOrEmpty(value) ? LucidError.Invalid(field, $"{field} is required.") : null;

    private static LucidError? Url(string? url, string field) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? null
        : LucidError.Invalid(field, $"{field} must be an absolute http or https URL; got '{url}'.");

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,254}$")]
    private static partial Regex VariableName();

    [GeneratedRegex(@"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex HostName();
}
