namespace Lucid.Events;

/// <summary>Opens the preview of an event: its ID and type (the API's <c>event_start</c>).</summary>
/// <param name="EventId">The ID the event will carry when it is committed.</param>
/// <param name="EventType">The event's type, <c>agent.message</c>.</param>
public sealed record EventPreviewStart(string EventId, string EventType) : EventPreview(EventId);
