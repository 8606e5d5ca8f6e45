using Microsoft.Extensions.Logging;

namespace Lucid.Sessions;

internal static partial class SessionLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Session {SessionId} failed while handling {EventType}")]
    public static partial void HandlingFailed(ILogger logger, Exception exception, string sessionId, string eventType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model request of session {SessionId} failed")]
    public static partial void ModelRequestFailed(ILogger logger, Exception exception, string sessionId);
}
