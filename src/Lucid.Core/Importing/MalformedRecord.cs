namespace Lucid.Importing;

/// <summary>A record that could not be read; nothing was written for it.</summary>
/// <param name="Position">Where the record is in the source (<c>line 7</c>, <c>record 3</c>, or <c>file</c>).</param>
/// <param name="Reason">What is wrong, naming the message or field.</param>
public sealed record MalformedRecord(string Position, string Reason);
