namespace Lucid.Results;

/// <summary>An expected failure: what went wrong and, for invalid input, which field.</summary>
/// <param name="Kind">The kind of failure.</param>
/// <param name="Message">A message a person can act on.</param>
/// <param name="Field">The offending field's path, such as <c>metadata.owner</c>, when there is one.</param>
public sealed record LucidError(ErrorKind Kind, string Message, string? Field = null)
{
    /// <summary>An invalid-request error naming <paramref name="field"/>.</summary>
    public static LucidError Invalid(string field, string message) => new(ErrorKind.InvalidRequest, message, field);

    /// <summary>A not-found error for a resource kind and ID.</summary>
    public static LucidError NotFound(string what, string id) => new(ErrorKind.NotFound, $"{what} '{id}' was not found.");

    /// <summary>A conflict error.</summary>
    public static LucidError Conflict(string message) => new(ErrorKind.Conflict, message);

    /// <summary>Content larger than a limit allows.</summary>
    public static LucidError TooLarge(string message) => new(ErrorKind.TooLarge, message);

    /// <summary>A failed precondition.</summary>
    public static LucidError PreconditionFailed(string message) => new(ErrorKind.PreconditionFailed, message);

    /// <summary>A memory path conflict, naming the path and the memory that blocked the write.</summary>
    public static LucidError PathConflict(string message, string conflictingPath, string conflictingMemoryId) =>
        new(ErrorKind.PathConflict, message) { ConflictingPath = conflictingPath, ConflictingMemoryId = conflictingMemoryId };

    /// <summary>For a path conflict: the path that blocked the write.</summary>
    public string? ConflictingPath { get; init; }

    /// <summary>For a path conflict: the memory that blocked the write.</summary>
    public string? ConflictingMemoryId { get; init; }
}
