using System.Text.Json.Serialization;

namespace Lucid.Events;

/// <summary>A user's answer to a tool call waiting for confirmation.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ToolConfirmationResult>))]
public enum ToolConfirmationResult
{
    /// <summary>Run the tool.</summary>
    [JsonStringEnumMemberName("allow")]
    Allow,

    /// <summary>Do not run it; the agent is told it was denied.</summary>
    [JsonStringEnumMemberName("deny")]
    Deny,
}
