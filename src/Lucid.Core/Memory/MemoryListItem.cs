namespace Lucid.Memory;

/// <summary>One item of a memory listing: a memory, or (with a depth) a prefix standing for the memories below it.</summary>
/// <param name="Memory">The memory, or null for a prefix.</param>
/// <param name="Prefix">The rolled-up prefix ending in <c>/</c>, or null for a memory.</param>
public sealed record MemoryListItem(MemoryDocument? Memory, string? Prefix)
{
    /// <summary>The path the listing is ordered by.</summary>
    public string Key => Memory?.Path ?? Prefix ?? "";
}
