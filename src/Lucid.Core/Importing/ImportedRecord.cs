namespace Lucid.Importing;

/// <summary>A record that became a session.</summary>
/// <param name="Position">Where the record is in the source (<c>record 3</c>, <c>line 7</c>).</param>
/// <param name="SessionId">The session created.</param>
/// <param name="Events">Events written to its log.</param>
public sealed record ImportedRecord(string Position, string SessionId, int Events);
