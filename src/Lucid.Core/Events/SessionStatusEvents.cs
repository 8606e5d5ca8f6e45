namespace Lucid.Events;

/// <summary>The session started working.</summary>
public sealed record SessionStatusRunningEvent : SessionEvent;

/// <summary>The session stopped working and waits for input.</summary>
public sealed record SessionStatusIdleEvent : SessionEvent
{
    /// <summary>Why it stopped.</summary>
    public required StopReason StopReason { get; init; }
}

/// <summary>The session's turn is being redone after its process stopped.</summary>
public sealed record SessionStatusRescheduledEvent : SessionEvent;

/// <summary>The session ended for good.</summary>
public sealed record SessionStatusTerminatedEvent : SessionEvent;

/// <summary>Something went wrong in the session; it records what and goes on or idles.</summary>
public sealed record SessionErrorEvent : SessionEvent
{
    /// <summary>The error.</summary>
    public required SessionError Error { get; init; }
}

/// <summary>An error recorded in a session.</summary>
/// <param name="Type">
/// The error type: <c>model_request_failed_error</c>, <c>model_rate_limited_error</c>, <c>model_overloaded_error</c>,
/// <c>tool_use_limit_reached_error</c>, <c>mcp_connection_failed_error</c>, <c>mcp_authentication_failed_error</c>,
/// <c>credential_host_unreachable_error</c> or <c>unknown_error</c>.
/// </param>
/// <param name="Message">What happened.</param>
/// <param name="RetryStatus">Whether the session is retrying, has spent its retries, or cannot retry.</param>
public sealed record SessionError(string Type, string Message, RetryStatus RetryStatus)
{
    /// <summary>The MCP server an <c>mcp_connection_failed_error</c> or <c>mcp_authentication_failed_error</c> is about.</summary>
    public string? McpServerName { get; init; }

    /// <summary>The credential a <c>credential_host_unreachable_error</c> is about.</summary>
    public string? CredentialId { get; init; }

    /// <summary>The vault of <see cref="CredentialId"/>.</summary>
    public string? VaultId { get; init; }
}

/// <summary>The retry state of a <see cref="SessionError"/>.</summary>
/// <param name="Type"><c>retrying</c>, <c>exhausted</c> (retries spent) or <c>terminal</c> (retrying cannot help).</param>
public sealed record RetryStatus(string Type)
{
    /// <summary>Lucid tries again by itself (an MCP server is reconnected on its next use).</summary>
    public static RetryStatus Retrying { get; } = new("retrying");

    /// <summary>Retries were spent.</summary>
    public static RetryStatus Exhausted { get; } = new("exhausted");

    /// <summary>Retrying cannot help.</summary>
    public static RetryStatus Terminal { get; } = new("terminal");
}
