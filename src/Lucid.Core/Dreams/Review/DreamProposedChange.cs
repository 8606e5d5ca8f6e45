using Lucid.Memory;

namespace Lucid.Dreams.Review;

/// <summary>
/// One change a dream proposes, waiting for a reviewer: <c>add</c> a lesson, <c>update</c> one, <c>merge</c> memories
/// into one, or <c>retire</c> one in its output store, or <c>add_skill</c>; with what it replaces and the reviewer's decision.
/// </summary>
public sealed record DreamProposedChange
{
    /// <summary>Its ID (<c>dchg_…</c>), stable for the life of the dream.</summary>
    public required string Id { get; init; }

    /// <summary>What it does.</summary>
    public required DreamOperationKind Op { get; init; }

    /// <summary>The path written or retired; for an <c>add_skill</c>, the skill's name.</summary>
    public required string Path { get; init; }

    /// <summary>For a merge, the paths merged.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Why the dream proposes it.</summary>
    public required string Reason { get; init; }

    /// <summary>The events cited.</summary>
    public IReadOnlyList<string> EventIds { get; init; } = [];

    /// <summary>The content written at <see cref="Path"/>, or null for a retire.</summary>
    public string? Content { get; init; }

    /// <summary>For an <c>add_skill</c>, the skill it proposes; null otherwise.</summary>
    public DreamSkill? Skill { get; init; }

    /// <summary>For an accepted <c>add_skill</c>, the skill created (or given a new version) on acceptance.</summary>
    public string? SkillId { get; init; }

    /// <summary>For an accepted <c>add_skill</c>, the skill version created on acceptance.</summary>
    public string? SkillVersionId { get; init; }

    /// <summary>The memories it replaces or deletes, as read (none for an add).</summary>
    public IReadOnlyList<DreamReplacedMemory> Replaces { get; init; } = [];

    /// <summary>The reviewer's decision.</summary>
    public DreamDecision Decision { get; init; } = DreamDecision.Pending;

    /// <summary>Who decided (an API key ID, or the CLI's user), or null while pending.</summary>
    public string? DecidedBy { get; init; }

    /// <summary>When it was decided, or null while pending.</summary>
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>
    /// The memory edits that make this change, each guarded by the hash of what it replaces: deletes, then updates, then
    /// creates, as the curate stage orders a whole plan.
    /// </summary>
    public IEnumerable<MemoryEdit> Edits()
    {
        // A skill was created when it was accepted; it is no memory.
        if (Op == DreamOperationKind.AddSkill)
        {
            yield break;
        }

        foreach (var old in Replaces.Where(r => r.Path != Path || Content is null))
        {
            yield return MemoryEdit.Delete(old.Path, old.ContentSha256);
        }

        if (Content is null)
        {
            yield break;
        }

        yield return Replaces.FirstOrDefault(r => r.Path == Path) is { } replaced
            ? MemoryEdit.Update(Path, Content, replaced.ContentSha256)
            : MemoryEdit.Create(Path, Content);
    }
}
