namespace Lucid.Dreams.Review;

/// <summary>A memory a proposed change replaces or retires, as the dream read it: what a reviewer diffs against.</summary>
/// <param name="Path">Its path.</param>
/// <param name="VersionId">The version read.</param>
/// <param name="ContentSha256">The hash of that version's content; the change is written only if the memory still has it.</param>
/// <param name="Content">That version's content.</param>
public sealed record DreamReplacedMemory(string Path, string VersionId, string ContentSha256, string Content);
