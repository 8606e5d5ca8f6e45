using Lucid.Dreams.Review;

namespace Lucid.Dreams;

/// <summary>One change a dream made (or refused to make) to its output store, for the report.</summary>
/// <param name="Op">What was done.</param>
/// <param name="Path">The path written or retired; for an <c>add_skill</c>, the skill's name.</param>
/// <param name="Sources">For a merge, the paths merged.</param>
/// <param name="Reason">Why.</param>
/// <param name="EventIds">The events cited.</param>
/// <param name="PreviousVersionIds">The versions that held the replaced or retired content, which stay in the store's history.</param>
internal sealed record DreamChange(DreamOperationKind Op, string Path, IReadOnlyList<string> Sources, string Reason, IReadOnlyList<string> EventIds, IReadOnlyList<string> PreviousVersionIds)
{
    /// <summary>The content written at the path, or null for a retire.</summary>
    public string? Content { get; init; }

    /// <summary>For an <c>add_skill</c>, the skill proposed; null otherwise.</summary>
    public DreamSkill? Skill { get; init; }

    /// <summary>The memories replaced or deleted, as read.</summary>
    public IReadOnlyList<DreamReplacedMemory> Replaces { get; init; } = [];

    /// <summary>A reviewer's decision, for a dream created with review required; null otherwise.</summary>
    public DreamDecision? Decision { get; init; }

    /// <summary>What the reviewer decided, by whom and when, for the report; null without review.</summary>
    public string? ReviewNote { get; init; }

    /// <summary>The memory as read, for a review.</summary>
    public static DreamReplacedMemory Replaced(Memory.MemoryDocument memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        return new(memory.Path, memory.VersionId, memory.ContentSha256, memory.Content ?? "");
    }
}
