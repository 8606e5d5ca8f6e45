using Lucid.Events;
using Lucid.Models;

namespace Lucid.Sessions;

/// <summary>How a turn's errors are reported in a <c>session.error</c>.</summary>
internal static class SessionErrors
{
    /// <summary>A model request that failed after its retries.</summary>
    public static SessionError From(Exception ex) => ex switch
    {
        ModelRequestException { Kind: ModelErrorKind.RateLimited } => new SessionError("model_rate_limited_error", ex.Message, RetryStatus.Exhausted),
        ModelRequestException { Kind: ModelErrorKind.Overloaded } => new SessionError("model_overloaded_error", ex.Message, RetryStatus.Exhausted),
        ModelRequestException => new SessionError("model_request_failed_error", ex.Message, RetryStatus.Exhausted),
        _ => new SessionError("model_request_failed_error", $"{ex.GetType().Name}: {ex.Message}", RetryStatus.Exhausted),
    };

    /// <summary>
    /// The turn stopped at a limit on tool use, not because a request failed: the turn is over (<c>exhausted</c>) and the
    /// next message starts a new one.
    /// </summary>
    public static SessionError ToolUseLimitReached(string message) => new("tool_use_limit_reached_error", message, RetryStatus.Exhausted);
}
