using Lucid.Events;
using Lucid.Models;

namespace Lucid.Sessions;

/// <summary>How a failed model request is reported in a <c>session.error</c>.</summary>
internal static class SessionErrors
{
    public static SessionError From(Exception ex) => ex switch
    {
        ModelRequestException { Kind: ModelErrorKind.RateLimited } => new SessionError("model_rate_limited_error", ex.Message, RetryStatus.Exhausted),
        ModelRequestException { Kind: ModelErrorKind.Overloaded } => new SessionError("model_overloaded_error", ex.Message, RetryStatus.Exhausted),
        ModelRequestException => new SessionError("model_request_failed_error", ex.Message, RetryStatus.Exhausted),
        _ => new SessionError("model_request_failed_error", $"{ex.GetType().Name}: {ex.Message}", RetryStatus.Exhausted),
    };
}
