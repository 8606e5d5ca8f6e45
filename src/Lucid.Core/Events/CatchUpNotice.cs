namespace Lucid.Events;

/// <summary>Notices may have been missed: every log this process follows should be read again from where it stands.</summary>
public sealed record CatchUpNotice : LogNotice;
