using System.Text.Json.Serialization;

namespace Lucid.Sessions;

/// <summary>A session's lifecycle state.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SessionStatus>))]
public enum SessionStatus
{
    /// <summary>Waiting for input: a user message, a tool confirmation or a custom tool result. Sessions start idle.</summary>
    [JsonStringEnumMemberName("idle")]
    Idle,

    /// <summary>The agent is working.</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>The process that ran the session stopped; the turn will be redone.</summary>
    [JsonStringEnumMemberName("rescheduling")]
    Rescheduling,

    /// <summary>The session has ended and takes no more input.</summary>
    [JsonStringEnumMemberName("terminated")]
    Terminated,
}
