namespace Lucid.Storage.Sqlite;

/// <summary>Settings of the SQLite store.</summary>
public sealed record SqliteStoreOptions
{
    /// <summary>How long a write waits for another process's write lock before it fails (whole seconds, at least 1). Defaults to 30 s.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A cap on the database's size, in pages (SQLite's <c>max_page_count</c>), or null for none. Writes past it fail cleanly.</summary>
    public long? MaxPageCount { get; init; }

    /// <summary>The clock that stamps what the store records on its own (the time of a deletion's webhook event). Defaults to the system's.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
