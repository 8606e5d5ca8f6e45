namespace Lucid.Files;

/// <summary>Where the Files API keeps its bytes, and how large a file may be.</summary>
public sealed record FileStoreOptions
{
    /// <summary>The hosted API's limit on one file: 500 MB.</summary>
    public const long DefaultMaxFileBytes = 500L * 1000 * 1000;

    /// <summary>
    /// The directory of the disk blob store (content-addressed files). Defaults to <c>lucid-files</c> under the system's
    /// temp directory; the CLI and server use <c>$LUCID_HOME/files</c>.
    /// </summary>
    public string Root { get; init; } = Path.Combine(Path.GetTempPath(), "lucid-files");

    /// <summary>The largest file an upload (or a session output) may be; a larger upload gets 413. Defaults to 500 MB.</summary>
    public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;
}
