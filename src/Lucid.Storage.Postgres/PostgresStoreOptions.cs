namespace Lucid.Storage.Postgres;

/// <summary>Settings of the PostgreSQL store.</summary>
public sealed record PostgresStoreOptions
{
    /// <summary>The clock that stamps what the store records on its own (the time of a deletion's webhook event). Defaults to the system's.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
