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

    /// <summary>
    /// A credential names hosts the environment's network does not permit. Retrying cannot help until the client changes
    /// the credential or the environment (<c>terminal</c>, as Lucid uses it); the session is not ended, and the turn goes
    /// on with the secret substituted only on the credential's other hosts, or without its variable when none is left.
    /// </summary>
    public static SessionError CredentialHostUnreachable(Vaults.UnreachableCredentialHosts unreachable)
    {
        var outcome = unreachable.LeftOut
            ? $"none of its hosts is, so the sandbox does not get {unreachable.SecretName}"
            : $"{unreachable.SecretName} is substituted only on its other hosts";
        var message = $"Credential '{unreachable.CredentialId}' of vault '{unreachable.VaultId}' allows {string.Join(", ", unreachable.Hosts)}, which the environment's "
            + $"networking does not permit; {outcome}. Add the hosts to the environment's networking.allowed_hosts or remove them from the credential's auth.networking.allowed_hosts.";
        return new("credential_host_unreachable_error", message, RetryStatus.Terminal) { CredentialId = unreachable.CredentialId, VaultId = unreachable.VaultId };
    }
}
