using System.Text;

namespace Lucid.Events;

/// <summary>The preview of the event a log is producing, as far as it has come: its start and each block's text so far.</summary>
internal sealed class OpenPreview(EventPreviewStart start)
{
    private readonly List<StringBuilder> _blocks = [];

    public EventPreviewStart Start { get; } = start;

    public void Add(EventPreviewDelta delta)
    {
        if (delta.Index == _blocks.Count)
        {
            _blocks.Add(new StringBuilder(delta.Text));
        }
        else if (delta.Index >= 0 && delta.Index < _blocks.Count)
        {
            _blocks[delta.Index].Append(delta.Text);
        }
    }

    /// <summary>The preview so far in as few frames as it takes: the start, then one delta per block.</summary>
    public IEnumerable<EventPreview> SoFar() =>
        [Start, .. _blocks.Select((text, index) => new EventPreviewDelta(Start.EventId, index, text.ToString()))];
}
