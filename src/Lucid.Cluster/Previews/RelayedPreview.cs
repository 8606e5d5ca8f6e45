using Lucid.Events;

namespace Lucid.Cluster.Previews;

/// <summary>An <see cref="EventPreview"/> between nodes: a start (with its type and <see cref="EventPreviewStart.After"/>) or a delta.</summary>
/// <param name="EventId">The ID the previewed event will carry.</param>
/// <param name="EventType">The event's type, for a start; null for a delta.</param>
/// <param name="After">A start's <see cref="EventPreviewStart.After"/>.</param>
/// <param name="Index">A delta's content block.</param>
/// <param name="Text">A delta's text.</param>
[GenerateSerializer, Immutable]
public sealed record RelayedPreview(
    [property: Id(0)] string EventId, [property: Id(1)] string? EventType, [property: Id(2)] long? After, [property: Id(3)] int Index, [property: Id(4)] string? Text)
{
    /// <summary>The preview as it goes to another node.</summary>
    public static RelayedPreview Of(EventPreview preview) => preview switch
    {
        EventPreviewStart start => new RelayedPreview(start.EventId, start.EventType, start.After, 0, null),
        EventPreviewDelta delta => new RelayedPreview(delta.EventId, null, null, delta.Index, delta.Text),
        _ => throw new ArgumentException($"No relayed form for a {preview.GetType().Name}.", nameof(preview)),
    };

    /// <summary>The preview as the receiving node's streams take it.</summary>
    public EventPreview ToPreview() => EventType is { } type
        ? new EventPreviewStart(EventId, type) { After = After }
        : new EventPreviewDelta(EventId, Index, Text ?? "");
}
