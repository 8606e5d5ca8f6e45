namespace Lucid.Events;

/// <summary>Hands a log's previews of some event types to another process (<see cref="EventHub.RelayPreviews"/>).</summary>
internal sealed class PreviewRelay(IReadOnlySet<string> types, Action<EventPreview> relay)
{
    private string? _relaying;

    public IReadOnlySet<string> Types => types;

    /// <summary>Relays a start of one of its types and that preview's deltas; called under the log's lock, in order.</summary>
    public void Offer(EventPreview preview)
    {
        if (preview is EventPreviewStart start)
        {
            _relaying = types.Contains(start.EventType) ? start.EventId : null;
        }

        if (preview.EventId == _relaying)
        {
            relay(preview);
        }
    }
}
