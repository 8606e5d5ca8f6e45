namespace Lucid.Dreams;

/// <summary>An error the session recorded.</summary>
/// <param name="Type">The error type.</param>
/// <param name="Message">What happened (at most 300 characters).</param>
/// <param name="EventId">The <c>session.error</c> event.</param>
public sealed record DigestSessionError(string Type, string Message, string EventId);
