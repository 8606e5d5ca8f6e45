namespace Lucid.Results;

/// <summary>The kinds of expected failure; each maps to one HTTP status in the server.</summary>
public enum ErrorKind
{
    /// <summary>The request is malformed or breaks a documented limit (400).</summary>
    InvalidRequest,

    /// <summary>The resource does not exist or is not visible to the caller (404).</summary>
    NotFound,

    /// <summary>The request conflicts with the resource's current state (409).</summary>
    Conflict,

    /// <summary>A precondition on the resource's current state does not hold (409 <c>memory_precondition_failed_error</c>).</summary>
    PreconditionFailed,

    /// <summary>A memory path is taken by, or overlaps, another memory's path (409 <c>memory_path_conflict_error</c>).</summary>
    PathConflict,

    /// <summary>The request's content is larger than a configured limit allows (413).</summary>
    TooLarge,
}
