namespace Lucid.Memory;

/// <summary>A memory store attached to a session: what the agent sees, snapshotted when the session was created.</summary>
public sealed record MemoryStoreResource
{
    /// <summary>The store.</summary>
    public required string MemoryStoreId { get; init; }

    /// <summary>How the session may use it.</summary>
    public MemoryAccess Access { get; init; } = MemoryAccess.ReadWrite;

    /// <summary>Guidance for the agent on this store, or null.</summary>
    public string? Instructions { get; init; }

    /// <summary>The store's name when attached.</summary>
    public required string Name { get; init; }

    /// <summary>The store's description when attached.</summary>
    public string Description { get; init; } = "";

    /// <summary>Where the agent finds it, such as <c>/mnt/memory/team-notes</c>.</summary>
    public required string MountPath { get; init; }
}
