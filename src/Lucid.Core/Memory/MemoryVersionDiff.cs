namespace Lucid.Memory;

/// <summary>What a version changed: the version, the one it is compared with, and the unified diff of their contents.</summary>
/// <param name="Version">The version.</param>
/// <param name="Before">What it is compared with: the memory's version before it, another version, or null (before a creation).</param>
/// <param name="Unified">The unified diff from <paramref name="Before"/>'s content to <paramref name="Version"/>'s; empty when they are equal.</param>
public sealed record MemoryVersionDiff(MemoryVersion Version, MemoryVersion? Before, string Unified)
{
    /// <summary>The paths before and after, when the version also moved the memory; otherwise null.</summary>
    public (string From, string To)? Rename => Before?.Path is { } from && Version.Path is { } to && from != to ? (from, to) : null;

    /// <summary>Diffs two versions' contents, each side named by its path and version (<c>/dev/null</c> for nothing).</summary>
    public static MemoryVersionDiff Between(MemoryVersion? before, MemoryVersion version) =>
        new(version, before, UnifiedDiff.Of(before?.Content, version.Content, before is null ? "/dev/null" : Name(before), Name(version)));

    private static string Name(MemoryVersion version) => $"{version.Path ?? "(redacted)"} @ {version.Id}";
}
