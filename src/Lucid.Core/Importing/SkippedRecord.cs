namespace Lucid.Importing;

/// <summary>A record that was not imported because a session already holds it.</summary>
/// <param name="Position">Where the record is in the source.</param>
/// <param name="SessionId">The existing session.</param>
/// <param name="Reason">Why it was skipped.</param>
public sealed record SkippedRecord(string Position, string SessionId, string Reason);
