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
}
