namespace Lucid.Events;

/// <summary>What a stream of a log carries: a committed event, or a preview of one still being produced.</summary>
public readonly record struct LogStreamItem
{
    /// <summary>A committed event.</summary>
    public LogStreamItem(LoggedEvent committed) => Committed = committed;

    /// <summary>A preview.</summary>
    public LogStreamItem(EventPreview preview) => Preview = preview;

    /// <summary>The committed event, or null for a preview.</summary>
    public LoggedEvent? Committed { get; }

    /// <summary>The preview, or null for a committed event.</summary>
    public EventPreview? Preview { get; }
}
