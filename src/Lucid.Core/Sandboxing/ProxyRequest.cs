using System.Globalization;

namespace Lucid.Sandboxing;

/// <summary>
/// A request head the egress proxy received, and the head it forwards to the origin. Hand-written rather than taken
/// from a library because the proxy needs no more of HTTP/1.1 than a head: where the request goes, and its header lines
/// to pass on with credential placeholders replaced, and the length of its body; the body (see <see cref="ProxyBody"/>)
/// and the response are handled as bytes.
/// </summary>
internal sealed record ProxyRequest(string Host, int Port, bool Tunnel, string RequestLine, IReadOnlyList<string> Headers)
{
    /// <summary>
    /// A request made to the proxy: <c>CONNECT host:port</c> (a tunnel) or an absolute <c>http://</c> URI (forwarded in
    /// origin form); null for anything else.
    /// </summary>
    public static ProxyRequest? ToProxy(string head)
    {
        var (request, headers) = Split(head);
        if (request is null)
        {
            return null;
        }

        if (request[0] == "CONNECT")
        {
            var colon = request[1].LastIndexOf(':');
            return colon > 0 && int.TryParse(request[1][(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
                ? new ProxyRequest(request[1][..colon].Trim('[', ']'), port, Tunnel: true, "", headers)
                : null;
        }

        return Uri.TryCreate(request[1], UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp
            ? new ProxyRequest(uri.IdnHost, uri.Port, Tunnel: false, $"{request[0]} {uri.PathAndQuery} {request[2]}", headers)
            : null;
    }

    /// <summary>A request made inside a tunnel the proxy opened itself, to <paramref name="host"/>: origin form only; null for anything else.</summary>
    public static ProxyRequest? InTunnel(string head, string host, int port)
    {
        var (request, headers) = Split(head);
        return request is not null && request[1].StartsWith('/') && request[2].StartsWith("HTTP/1.", StringComparison.Ordinal)
            ? new ProxyRequest(host, port, Tunnel: false, string.Join(' ', request), headers)
            : null;
    }

    /// <summary>The body's length, when exactly one <c>Content-Length</c> header states it; null otherwise.</summary>
    public long? ContentLength =>
        Values("Content-Length").ToList() is [var value] && long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            ? length
            : null;

    /// <summary>Whether the head has a header named <paramref name="name"/>.</summary>
    public bool HasHeader(string name) => Values(name).Any();

    /// <summary>
    /// The head the origin sees: no proxy headers, one request per connection (so every request the proxy forwards is
    /// one whose head it rewrote), and each placeholder in a header value of <paramref name="secrets"/> substituted in
    /// headers replaced by its secret. A secret holding a line break or NUL is never put in, as it would end the header.
    /// Those used are added to <paramref name="used"/>. With <paramref name="bodyLength"/>, the body was rewritten and
    /// <c>Content-Length</c> states its new length.
    /// </summary>
    public string Forwarded(IReadOnlyList<SandboxSecret> secrets, ICollection<SandboxSecret> used, long? bodyLength)
    {
        var lines = new List<string>(Headers.Count + 2) { RequestLine };
        foreach (var header in Headers)
        {
            if (header.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase) || header.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (bodyLength is { } length && Named(header, "Content-Length"))
            {
                lines.Add($"Content-Length: {length.ToString(CultureInfo.InvariantCulture)}");
                continue;
            }

            var colon = header.IndexOf(':', StringComparison.Ordinal);
            var value = colon < 0 ? "" : header[(colon + 1)..];
            foreach (var secret in secrets.Where(s => s.InHeaders))
            {
                if (value.Contains(secret.Placeholder, StringComparison.Ordinal) && secret.Value.IndexOfAny(['\r', '\n', '\0']) < 0)
                {
                    value = value.Replace(secret.Placeholder, secret.Value, StringComparison.Ordinal);
                    used.Add(secret);
                }
            }

            lines.Add(colon < 0 ? header : header[..(colon + 1)] + value);
        }

        lines.Add("Connection: close");
        return string.Join("\r\n", lines) + "\r\n\r\n";
    }

    private IEnumerable<string> Values(string name) => Headers.Where(h => Named(h, name)).Select(h => h[(name.Length + 1)..]);

    private static bool Named(string header, string name) =>
        header.Length > name.Length && header[name.Length] == ':' && header.StartsWith(name, StringComparison.OrdinalIgnoreCase);

    // The request line's three parts (null when it has not three) and the header lines.
    private static (string[]? Request, IReadOnlyList<string> Headers) Split(string head)
    {
        var lines = head.Split("\r\n");
        var request = lines[0].Split(' ');
        return (request.Length == 3 ? request : null, [.. lines.Skip(1).Where(l => l.Length > 0)]);
    }
}
