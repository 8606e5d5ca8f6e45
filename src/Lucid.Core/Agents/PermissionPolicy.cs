using System.Text.Json.Serialization;

namespace Lucid.Agents;

/// <summary>Whether a tool runs at once, waits for the user's confirmation, or is judged call by call by a reviewer model.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PermissionPolicy>))]
public enum PermissionPolicy
{
    /// <summary>The tool runs without asking.</summary>
    [JsonStringEnumMemberName("always_allow")]
    AlwaysAllow,

    /// <summary>The session goes idle until a <c>user.tool_confirmation</c> allows or denies the call.</summary>
    [JsonStringEnumMemberName("always_ask")]
    AlwaysAsk,

    /// <summary>
    /// Before each call runs, a reviewer model in a fresh context allows or denies it; a denied call, or one the reviewer
    /// could not judge, does not run (fail closed).
    /// </summary>
    [JsonStringEnumMemberName("auto")]
    Auto,
}
