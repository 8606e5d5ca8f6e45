namespace Lucid.Events;

/// <summary>
/// A live preview of an event that is still being produced (the API's <c>event_start</c> and <c>event_delta</c>). A
/// preview is never committed: only live subscribers that asked for previews of its type see it, and the committed
/// event with the same ID, or the end of the model request that produced it, concludes it.
/// </summary>
/// <param name="EventId">The ID the event will carry when it is committed.</param>
public abstract record EventPreview(string EventId);
