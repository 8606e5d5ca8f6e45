using System.Text.Json.Serialization;

namespace Lucid.Memory;

/// <summary>The kinds of <see cref="MemoryActor"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MemoryActorKind>))]
public enum MemoryActorKind
{
    /// <summary>An API key.</summary>
    [JsonStringEnumMemberName("api_key")]
    ApiKey,

    /// <summary>A person.</summary>
    [JsonStringEnumMemberName("user")]
    User,

    /// <summary>A session's agent.</summary>
    [JsonStringEnumMemberName("session")]
    Session,

    /// <summary>A dream.</summary>
    [JsonStringEnumMemberName("dream")]
    Dream,
}
