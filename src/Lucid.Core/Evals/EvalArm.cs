namespace Lucid.Evals;

/// <summary>
/// One arm of a comparison: the memory its sessions mount, read-only (or none). Store-valued arms name a store, a store
/// at one of its versions, or a dream's output, as <see cref="Kind"/> says.
/// </summary>
public sealed record EvalArm
{
    /// <summary>The arm's name in the suite; sessions carry it as <c>eval_arm</c> in their metadata.</summary>
    public required string Name { get; init; }

    /// <summary>Where its memory comes from.</summary>
    public required EvalArmKind Kind { get; init; }

    /// <summary>For <see cref="EvalArmKind.MemoryStore"/> and <see cref="EvalArmKind.MemoryVersion"/>: the store.</summary>
    public string? MemoryStoreId { get; init; }

    /// <summary>For <see cref="EvalArmKind.MemoryVersion"/>: the version (<c>memver_…</c>) the store is taken at.</summary>
    public string? MemoryVersionId { get; init; }

    /// <summary>For the dream kinds: the dream.</summary>
    public string? DreamId { get; init; }
}
