namespace Lucid.Events;

/// <summary>
/// What one stream lets through of the previews it is handed: the deltas of the event it last saw start, until it
/// delivers that event or the end of its model request, and never the start of a preview relayed from another process
/// (<see cref="EventPreviewStart.After"/>) once it has delivered a later event than the preview started after. So a
/// preview never follows the event it previews, however late a relayed one arrives.
/// </summary>
internal sealed class PreviewOrder
{
    private string? _previewing;

    /// <summary>Whether the stream, having delivered the log's events up to <paramref name="delivered"/>, shows a preview.</summary>
    public bool Admits(EventPreview preview, long delivered)
    {
        switch (preview)
        {
            case EventPreviewStart start:
                _previewing = start.After is { } after && delivered > after ? null : start.EventId;
                return _previewing is not null;
            default:
                return preview.EventId == _previewing;
        }
    }

    /// <summary>Notes an event the stream delivers: the preview it concludes ends.</summary>
    public void Delivered(LoggedEvent e)
    {
        if (e.Event.Id == _previewing || e.Event is SpanModelRequestEndEvent)
        {
            _previewing = null;
        }
    }
}
