using System.Text;

namespace Lucid.Sandboxing;

/// <summary>
/// The body of a request to a credential host, with the placeholders of the secrets whose <c>injection_location.body</c>
/// is set replaced. Only a body whose length the head states (<c>Content-Length</c>, no <c>Transfer-Encoding</c>) and
/// that is at most <see cref="MaxBytes"/> is read and rewritten; any other is forwarded as it came.
/// </summary>
internal static class ProxyBody
{
    /// <summary>The largest body the proxy reads to substitute secrets in: 1 MiB.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Whether the proxy reads the body of <paramref name="request"/> to put some of <paramref name="secrets"/> in it.</summary>
    public static bool Rewritten(ProxyRequest request, IReadOnlyList<SandboxSecret> secrets) =>
        secrets.Any(s => s.InBody) && !request.HasHeader("Transfer-Encoding") && request.ContentLength is <= MaxBytes;

    /// <summary>
    /// <paramref name="body"/> with each placeholder of a secret substituted in bodies replaced by the secret's UTF-8
    /// bytes; those used are added to <paramref name="used"/>.
    /// </summary>
    public static byte[] Substitute(byte[] body, IReadOnlyList<SandboxSecret> secrets, ICollection<SandboxSecret> used)
    {
        foreach (var secret in secrets.Where(s => s.InBody))
        {
            var placeholder = Encoding.ASCII.GetBytes(secret.Placeholder);
            if (body.AsSpan().IndexOf(placeholder) < 0)
            {
                continue;
            }

            body = Replace(body, placeholder, Encoding.UTF8.GetBytes(secret.Value));
            used.Add(secret);
        }

        return body;
    }

    private static byte[] Replace(byte[] body, byte[] placeholder, byte[] value)
    {
        using var result = new MemoryStream(body.Length);
        var rest = body.AsSpan();
        int at;
        while ((at = rest.IndexOf(placeholder)) >= 0)
        {
            result.Write(rest[..at]);
            result.Write(value);
            rest = rest[(at + placeholder.Length)..];
        }

        result.Write(rest);
        return result.ToArray();
    }
}
