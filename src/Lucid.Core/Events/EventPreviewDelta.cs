namespace Lucid.Events;

/// <summary>A fragment of text that lands in the previewed event's content block at an index (the API's <c>event_delta</c>).</summary>
/// <param name="EventId">The ID the event will carry when it is committed.</param>
/// <param name="Index">The content block the text is appended to.</param>
/// <param name="Text">The fragment.</param>
public sealed record EventPreviewDelta(string EventId, int Index, string Text) : EventPreview(EventId);
