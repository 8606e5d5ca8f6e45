namespace Lucid.Cluster.Sessions;

/// <summary>What a session's owner answers to input events: the committed events as wire JSON, or the error.</summary>
/// <param name="Events">The events committed, a JSON array as the API serves them; null on error.</param>
/// <param name="ErrorKind">The <see cref="Lucid.Results.ErrorKind"/> of the error, when there is one.</param>
/// <param name="Message">The error's message.</param>
/// <param name="Field">The field the error names.</param>
[GenerateSerializer, Immutable]
public sealed record SentEvents([property: Id(0)] string? Events, [property: Id(1)] int ErrorKind, [property: Id(2)] string? Message, [property: Id(3)] string? Field);
