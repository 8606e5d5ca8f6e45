namespace Lucid.Events;

/// <summary>Opens the preview of an event: its ID and type (the API's <c>event_start</c>).</summary>
/// <param name="EventId">The ID the event will carry when it is committed.</param>
/// <param name="EventType">The event's type, <c>agent.message</c>.</param>
public sealed record EventPreviewStart(string EventId, string EventType) : EventPreview(EventId)
{
    /// <summary>
    /// For a preview relayed from the process that produces it (<see cref="EventHub.RelayPreviews"/>): the sequence number
    /// of the last event that process had committed to the log when the preview started, or less. A stream that has
    /// already delivered a later event leaves the preview out, since the event it previews may be among them. Null for a
    /// preview produced in this process, which comes in order with the log's events.
    /// </summary>
    public long? After { get; init; }
}
