namespace Lucid.Storage.Postgres;

/// <summary>Settings of the PostgreSQL store.</summary>
public sealed record PostgresStoreOptions
{
    /// <summary>The clock that stamps what the store records on its own (the time of a deletion's webhook event), and times the listener's waits. Defaults to the system's.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// How often a process that follows logs other processes append to reads them again even without a notice: the
    /// safety net for a lost <c>NOTIFY</c>, so the most a lost one costs is this much latency. Defaults to 10 s;
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    public TimeSpan CatchUpInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between attempts to open the <c>LISTEN</c> connection again while it keeps failing. Defaults to 10 s.</summary>
    public TimeSpan MaxListenRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Where an upload to the store's blobs is spooled (readable by this process's user only) while its SHA-256 is
    /// counted, before it is written to the database; the file is deleted once written. Defaults to
    /// <c>lucid-blob-spool</c> under the system's temp directory; <c>lucid serve</c> uses <c>$LUCID_HOME/files/incoming</c>.
    /// </summary>
    public string BlobSpoolDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "lucid-blob-spool");
}
