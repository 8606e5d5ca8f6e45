namespace Lucid.Vaults;

/// <summary>
/// An HTTP answer kept to show in a credential validation: status, content type (empty when it named none) and the start
/// of the body, with every secret of the credential that was sent replaced.
/// </summary>
public sealed record CapturedResponse(int StatusCode, string ContentType, string Body, bool BodyTruncated)
{
    /// <summary>The most characters of a body kept.</summary>
    public const int MaxBodyChars = 2_000;

    /// <summary>Captures <paramref name="response"/> whose body was <paramref name="body"/>, scrubbing <paramref name="secrets"/>' values from it.</summary>
    public static CapturedResponse Of(HttpResponseMessage response, string body, CredentialSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(secrets);
        var scrubbed = secrets.Values().Aggregate(body, (text, secret) => text.Replace(secret, "[redacted]", StringComparison.Ordinal));
        var truncated = scrubbed.Length > MaxBodyChars;
        return new((int)response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "", truncated ? scrubbed[..MaxBodyChars] : scrubbed, truncated);
    }
}
