namespace Lucid.Cluster.Sessions;

/// <summary>What a session's owner answers to input events, an update, archive or delete: the API's answer as JSON text, or the error.</summary>
/// <param name="Json">The answer as the API serves it (the committed events' array, or the session's object); null on error.</param>
/// <param name="ErrorKind">The <see cref="Lucid.Results.ErrorKind"/> of the error, when there is one.</param>
/// <param name="Message">The error's message.</param>
/// <param name="Field">The field the error names.</param>
[GenerateSerializer, Immutable]
public sealed record OwnerAnswer([property: Id(0)] string? Json, [property: Id(1)] int ErrorKind, [property: Id(2)] string? Message, [property: Id(3)] string? Field);
