namespace Lucid.Dreams;

/// <summary>A candidate lesson from the reflect stage.</summary>
/// <param name="Title">A short name.</param>
/// <param name="When">When it applies.</param>
/// <param name="Do">What to do.</param>
/// <param name="EventIds">The events of the input sessions that support it (only IDs that exist are kept).</param>
internal sealed record DreamLesson(string Title, string When, string Do, IReadOnlyList<string> EventIds)
{
    /// <summary>The tasks its evidence spans; set once its citations are checked.</summary>
    public EvidenceTasks Tasks { get; init; } = new([], false);
}
