namespace Lucid.Memory;

/// <summary>One memory put back as it was at a point in the history.</summary>
/// <param name="MemoryId">The memory, as the history knows it.</param>
/// <param name="Target">The version it went back to; null when it did not exist yet at that point (so the revert deleted it).</param>
/// <param name="Memory">The memory now; null when the revert deleted it.</param>
public sealed record MemoryRevert(string MemoryId, MemoryVersion? Target, MemoryDocument? Memory)
{
    /// <summary>True when the memory had been deleted and was created again, under a new ID (the old one keeps its history).</summary>
    public bool Recreated => Memory is not null && Memory.Id != MemoryId;
}
