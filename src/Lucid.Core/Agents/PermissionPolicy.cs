using System.Text.Json.Serialization;

namespace Lucid.Agents;

/// <summary>Whether a tool runs at once or waits for the user's confirmation.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PermissionPolicy>))]
public enum PermissionPolicy
{
    /// <summary>The tool runs without asking.</summary>
    [JsonStringEnumMemberName("always_allow")]
    AlwaysAllow,

    /// <summary>The session goes idle until a <c>user.tool_confirmation</c> allows or denies the call.</summary>
    [JsonStringEnumMemberName("always_ask")]
    AlwaysAsk,
}
