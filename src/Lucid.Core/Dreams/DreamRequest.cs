namespace Lucid.Dreams;

/// <summary>What a caller asks of a new dream.</summary>
public sealed record DreamRequest
{
    /// <summary>The memory store to read.</summary>
    public required string MemoryStoreId { get; init; }

    /// <summary>The sessions to read: 1 to 100 distinct IDs.</summary>
    public required IReadOnlyList<string> SessionIds { get; init; }

    /// <summary>The model string that runs every stage.</summary>
    public required string Model { get; init; }

    /// <summary>Guidance, 1 to 4,096 characters, or null.</summary>
    public string? Instructions { get; init; }

    /// <summary>Where the result goes.</summary>
    public DreamOutputBehavior OutputBehavior { get; init; } = DreamOutputBehavior.CreateNew;

    /// <summary>Whether a reviewer decides on each proposed change before any is written (a Lucid extension); false writes them straight away.</summary>
    public bool ReviewRequired { get; init; }

    /// <summary>Lesson validation by replay (a Lucid extension), or null for none; it runs trial sessions, so it costs model calls.</summary>
    public Validation.DreamValidation? Validation { get; init; }

    /// <summary>With <see cref="DreamOutputBehavior.UpdateExisting"/>, the store to write, which must be <see cref="MemoryStoreId"/>.</summary>
    public string? UpdateStoreId { get; init; }
}
