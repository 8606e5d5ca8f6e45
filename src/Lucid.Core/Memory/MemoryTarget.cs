namespace Lucid.Memory;

/// <summary>Where a tool path under <c>/mnt/memory</c> points.</summary>
/// <param name="Mount">The mounted store, or null for <c>/mnt/memory</c> itself or a path of no mounted store.</param>
/// <param name="MemoryPath">The memory path inside the store (or the unknown path), or null for a mount's root.</param>
public readonly record struct MemoryTarget(MemoryStoreResource? Mount, string? MemoryPath);
