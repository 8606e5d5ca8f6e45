using System.Net;
using System.Net.Sockets;

namespace Lucid.Webhooks;

/// <summary>
/// Which webhook URLs and addresses the server may reach. Unless private addresses are allowed, a URL must be
/// <c>https</c> and every address it connects to must be public: not loopback, private (RFC 1918, unique local IPv6),
/// link-local (cloud metadata services live there), carrier-grade NAT, multicast, unspecified or reserved. The check
/// runs on the URL when an endpoint is saved and again on the resolved address at every connection, so a name that
/// resolves to a private address later (DNS rebinding) is refused too.
/// </summary>
public static class WebhookAddresses
{
    /// <summary>Why <paramref name="url"/> cannot be an endpoint, or null when it can.</summary>
    public static string? Problem(string url, bool allowPrivate)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return "url must be an absolute https URL.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "url must not contain a user name or password.";
        }

        if (allowPrivate)
        {
            return null;
        }

        if (uri.Scheme != "https")
        {
            return "url must use https (plain http is allowed only when the server allows private webhook addresses).";
        }

        if (uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return "url must not point at this machine (loopback); allow private webhook addresses in the server's configuration to use one.";
        }

        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && !IsPublic(address))
        {
            return $"url must not point at a private or reserved address ({address}); allow private webhook addresses in the server's configuration to use one.";
        }

        return null;
    }

    /// <summary>Whether <paramref name="address"/> is a public unicast address.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 10 || b[0] == 0 || b[0] >= 224
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)   // carrier-grade NAT
                || (b[0] == 169 && b[1] == 254)                  // link-local, cloud metadata
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)       // IETF protocol assignments
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19))); // benchmarking
        }

        var bytes = address.GetAddressBytes();
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || (bytes[0] & 0xfe) == 0xfc                          // unique local fc00::/7
            || address.IsIPv6Teredo);
    }
}
