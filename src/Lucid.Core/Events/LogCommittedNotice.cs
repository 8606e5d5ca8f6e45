namespace Lucid.Events;

/// <summary>Events up to <paramref name="LastSequence"/> were committed to <paramref name="Log"/> (by any process).</summary>
public sealed record LogCommittedNotice(LogId Log, long LastSequence) : LogNotice;
