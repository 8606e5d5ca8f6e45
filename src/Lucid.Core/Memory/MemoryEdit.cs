namespace Lucid.Memory;

/// <summary>One change in a batch applied with <see cref="MemoryService.ApplyEditsAsync"/>.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Path">The memory's path.</param>
/// <param name="Content">The new content (create and update).</param>
/// <param name="ExpectedSha256">
/// The content hash the memory must still have (update and delete); null applies the change whatever the memory holds.
/// </param>
public sealed record MemoryEdit(MemoryEditKind Kind, string Path, string? Content = null, string? ExpectedSha256 = null)
{
    /// <summary>Creates a memory at a path that must be free.</summary>
    public static MemoryEdit Create(string path, string content) => new(MemoryEditKind.Create, path, content);

    /// <summary>Replaces a memory's content, if it still has <paramref name="expectedSha256"/>.</summary>
    public static MemoryEdit Update(string path, string content, string? expectedSha256) => new(MemoryEditKind.Update, path, content, expectedSha256);

    /// <summary>Deletes a memory, if it still has <paramref name="expectedSha256"/>.</summary>
    public static MemoryEdit Delete(string path, string? expectedSha256) => new(MemoryEditKind.Delete, path, null, expectedSha256);
}
