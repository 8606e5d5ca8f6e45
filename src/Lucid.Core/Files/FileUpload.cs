namespace Lucid.Files;

/// <summary>What an upload brings: the part's file name and content type, its bytes, and an optional lifetime.</summary>
/// <param name="Filename">The part's file name as sent (only its last path component is kept), or null.</param>
/// <param name="MimeType">The part's content type, or null to guess one from the name.</param>
/// <param name="Content">The bytes.</param>
/// <param name="ExpiresInSeconds">Seconds until the bytes become unavailable (3,600 to 7,776,000), or null for never.</param>
public sealed record FileUpload(string? Filename, string? MimeType, Stream Content, long? ExpiresInSeconds = null)
{
    /// <summary>The shortest lifetime an upload may ask for: one hour.</summary>
    public const long MinExpiresInSeconds = 3600;

    /// <summary>The longest lifetime an upload may ask for: ninety days.</summary>
    public const long MaxExpiresInSeconds = 7_776_000;
}
