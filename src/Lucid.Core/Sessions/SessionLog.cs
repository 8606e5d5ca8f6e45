using Microsoft.Extensions.Logging;

namespace Lucid.Sessions;

internal static partial class SessionLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Session {SessionId} failed while handling {EventType}")]
    public static partial void HandlingFailed(ILogger logger, Exception exception, string sessionId, string eventType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model request of session {SessionId} failed")]
    public static partial void ModelRequestFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Output {OutputPath} of session {SessionId} was not recorded: it is larger than the file limit, or past the most outputs a session records")]
    public static partial void OutputSkipped(ILogger logger, string sessionId, string outputPath);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outputs of session {SessionId} could not be recorded")]
    public static partial void OutputsFailed(ILogger logger, Exception exception, string sessionId);
}
