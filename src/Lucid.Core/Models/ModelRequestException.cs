namespace Lucid.Models;

/// <summary>
/// A model request failed after the provider's retries. Providers translate their SDK's exceptions into this, so the
/// engine can record a <c>session.error</c> of the right type without knowing any SDK.
/// </summary>
public sealed class ModelRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelRequestException(ModelErrorKind kind, string message, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        StatusCode = statusCode;
    }

    /// <summary>What kind of failure it was.</summary>
    public ModelErrorKind Kind { get; }

    /// <summary>The provider's HTTP status code, when there was a response.</summary>
    public int? StatusCode { get; }

    /// <summary>With <see cref="ModelErrorKind.ContextTooLong"/>: the model's context window, when the provider's message states it.</summary>
    public int? ContextWindow { get; init; }
}

/// <summary>Kinds of model request failure, matching the API's <c>session.error</c> types.</summary>
public enum ModelErrorKind
{
    /// <summary>The request failed (5xx, timeout, dropped connection, malformed reply, 4xx other than below).</summary>
    RequestFailed,

    /// <summary>The provider rate-limited the request (429).</summary>
    RateLimited,

    /// <summary>The provider was overloaded (529, or 503 for some providers).</summary>
    Overloaded,

    /// <summary>The request held more tokens than the model's context window ("prompt is too long").</summary>
    ContextTooLong,
}
